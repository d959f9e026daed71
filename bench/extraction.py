"""Body quality and speed on aeb-dev: the candidate against trafilatura, page by page.

    python bench/extraction.py [--candidate trafilatura] [--limit N] [--rounds 3] [--verbose]

Quality: shingle F1 of ``scraper.extract(html, url=url).body`` and of
``trafilatura.extract(html, url=url, include_comments=False)`` against the true bodies, each page
run in a child process under ``--timeout`` (a page over it is a hang, an exception a crash).
Speed: both extractors in this process, pinned to one core, page by page, alternating which goes
first, ``--rounds`` times after a warm-up; per-page time is the median over rounds. The ratio is
printed in wall time (the target's figure) and in this process's CPU time (steadier under load).
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from candidates import Candidate, Extracted, load_candidate, trafilatura_text
from harness import (
    Failures,
    Stopwatch,
    base_parser,
    one_core,
    print_table,
    problem,
    run_isolated,
    script_main,
    shingle_rows,
    target_rows,
    write_json,
)
from metrics import (
    AebPage,
    CallResult,
    ShingleCounts,
    load_aeb,
    shingle_counts,
    shingle_score,
    timed_call,
)

REFERENCE = "trafilatura"


@dataclass
class Speed:
    """Per-page median seconds over rounds for each extractor, and the derived figures."""

    names: tuple[str, str]
    seconds: dict[str, list[float]]
    round_totals: dict[str, list[float]]
    page_ids: list[str]
    failures: dict[str, Failures]
    cpu_seconds: dict[str, list[float]]  # per page, median over rounds: CPU time of this process

    @property
    def cpu_ratios(self) -> list[float]:
        """The ratios in CPU time: steadier than wall time when other jobs share the core."""
        cand, ref = self.names
        pairs = zip(self.cpu_seconds[cand], self.cpu_seconds[ref], strict=True)
        return [r / c for c, r in pairs if c > 0]

    @property
    def cpu_median_ratio(self) -> float:
        return statistics.median(self.cpu_ratios) if self.cpu_ratios else float("nan")

    def pages_per_s(self, name: str) -> float:
        total = sum(self.seconds[name])
        return len(self.seconds[name]) / total if total else 0.0

    @property
    def ratios(self) -> list[float]:
        """trafilatura time / candidate time, page by page (> 1: the candidate is faster)."""
        cand, ref = self.names
        return [r / c for c, r in zip(self.seconds[cand], self.seconds[ref], strict=True)]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    @property
    def total_ratio(self) -> float:
        cand, ref = self.names
        total = sum(self.seconds[cand])
        return sum(self.seconds[ref]) / total if total else float("nan")


def measure_speed(
    calls: dict[str, Callable[[int], Any]],
    indexes: Sequence[int],
    page_ids: Sequence[str],
    rounds: int,
    warmup: int,
    timeout: float,
) -> Speed:
    names = tuple(calls)
    assert len(names) == 2
    for i in indexes[:warmup]:
        for name in names:
            timed_call(functools.partial(calls[name], i), timeout)
    per_page: dict[str, list[list[float]]] = {n: [[] for _ in indexes] for n in names}
    per_page_cpu: dict[str, list[list[float]]] = {n: [[] for _ in indexes] for n in names}
    round_totals: dict[str, list[float]] = {n: [] for n in names}
    failures = {n: Failures() for n in names}
    with one_core():
        for r in range(rounds):
            gc.collect()
            totals = dict.fromkeys(names, 0.0)
            for pos, i in enumerate(indexes):
                order = names if (pos + r) % 2 == 0 else names[::-1]
                for name in order:
                    cpu_start = time.process_time()
                    result = timed_call(functools.partial(calls[name], i), timeout)
                    per_page_cpu[name][pos].append(time.process_time() - cpu_start)
                    failures[name].add(result)
                    per_page[name][pos].append(result.seconds)
                    totals[name] += result.seconds
            for name in names:
                round_totals[name].append(totals[name])
    seconds = {n: [statistics.median(times) for times in per_page[n]] for n in names}
    cpu_seconds = {n: [statistics.median(times) for times in per_page_cpu[n]] for n in names}
    return Speed((names[0], names[1]), seconds, round_totals, list(page_ids), failures, cpu_seconds)


def body_of(result: CallResult[Any]) -> str:
    value = result.value
    if isinstance(value, Extracted):
        return value.body
    return value if isinstance(value, str) else ""


def build_parser() -> argparse.ArgumentParser:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--warmup", type=int, default=5, help="pages run once before timing")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput pass")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    clock = Stopwatch()

    pages: list[AebPage] = load_aeb(args.data / "aeb-dev", limit=args.limit)
    candidate: Candidate = load_candidate(args.candidate, needs=("extract",))
    name = candidate.name
    print(f"aeb-dev: {len(pages)} pages from {args.data / 'aeb-dev'}; candidate: {name}")

    def run_candidate(i: int) -> Extracted:
        return candidate.extract(pages[i].html or "", pages[i].url)

    def run_reference(i: int) -> str:
        return trafilatura_text(pages[i].html or "", pages[i].url)

    tasks: dict[str, Callable[[int], Any]] = {name: run_candidate, REFERENCE: run_reference}

    # Quality pass, isolated: every page bounded by the timeout.
    results = run_isolated(tasks, len(pages), args, lambda i: pages[i].id[:12])
    counts: dict[str, list[ShingleCounts]] = {
        n: [shingle_counts(p.truth, body_of(r)) for p, r in zip(pages, res, strict=True)]
        for n, res in results.items()
    }
    scores = {n: shingle_score(c) for n, c in counts.items()}
    failures = {n: Failures() for n in tasks}
    for n, res in results.items():
        for r in res:
            failures[n].add(r)
    quality_seconds = {n: sum(r.seconds for r in res) for n, res in results.items()}

    print_table(
        "Body shingle F1 (per-page normalised; mean P, mean R, F1 of the means); "
        f"timeout {args.timeout:g}s a page",
        ["extractor", "precision", "recall", "F1", "crashes", "hangs", "declined"],
        [
            [n, scores[n].precision, scores[n].recall, scores[n].f1, f.crashes, f.hangs, f.rejected]
            for n, f in failures.items()
        ],
    )
    for n, res in results.items():
        for page, r in zip(pages, res, strict=True):
            if (why := problem(r)) is not None:
                print(f"  {n} on {page.id[:12]} {page.url}: {why}")

    # Speed pass, in process: only pages both handled.
    speed: Speed | None = None
    if not args.no_speed:
        ok = [i for i in range(len(pages)) if all(results[n][i].ok for n in tasks)]
        speed = measure_speed(
            tasks, ok, [pages[i].id for i in ok], args.rounds, args.warmup, args.timeout
        )
        rows = []
        for n in speed.names:
            totals = ", ".join(f"{t:.2f}" for t in speed.round_totals[n])
            rows.append([n, speed.pages_per_s(n), sum(speed.seconds[n]), totals])
        print_table(
            f"Throughput: {len(ok)} pages, {args.rounds} rounds after a {args.warmup}-page "
            "warm-up, one core, order alternating page by page",
            ["extractor", "pages/s", "total s (median/page)", "round totals s"],
            rows,
        )
        ratios = sorted(speed.ratios)
        print(
            f"ratio trafilatura time / {name} time: median per page {speed.median_ratio:.2f}"
            f"  (p10 {ratios[len(ratios) // 10]:.2f}, p90 {ratios[(9 * len(ratios)) // 10]:.2f});"
            f"  ratio of total times {speed.total_ratio:.2f}"
            if ratios
            else "no page timed"
        )
        if ratios:
            print(
                f"in CPU time (this process): median per page {speed.cpu_median_ratio:.2f}"
                "  (wall time counts what other jobs on the machine take from the core)"
            )

    if args.verbose:
        order = sorted(range(len(pages)), key=lambda i: counts[name][i].f1)
        rows = []
        for i in order[: args.worst]:
            c, ref = counts[name][i], counts[REFERENCE][i]
            rows.append([pages[i].id[:12], c.precision, c.recall, c.f1, ref.f1, pages[i].url[:70]])
        print_table(
            f"Worst {len(rows)} pages for {name}",
            ["id", "P", "R", "F1", "trafilatura F1", "url"],
            rows,
        )
        if speed is not None:
            slow = sorted(range(len(speed.page_ids)), key=lambda k: speed.ratios[k])
            print_table(
                f"Pages where {name} is slowest relative to trafilatura",
                ["id", f"{name} ms", "trafilatura ms", "ratio"],
                [
                    [
                        speed.page_ids[k][:12],
                        1000 * speed.seconds[name][k],
                        1000 * speed.seconds[REFERENCE][k],
                        speed.ratios[k],
                    ]
                    for k in slow[: args.worst]
                ],
            )

    def quality(label: str) -> dict[str, float | None]:
        return {
            "aeb.f1": scores[label].f1,
            "aeb.precision": scores[label].precision,
            "aeb.recall": scores[label].recall,
            "aeb.crashes": failures[label].crashes,
            "aeb.hangs": failures[label].hangs,
            "aeb.declined": failures[label].rejected,
            "aeb.quality_pass_s": quality_seconds[label],
        }

    figures = quality(name)
    reference = quality(REFERENCE) | {"aeb.speed_median": 1.0}
    if speed is not None:
        figures |= {
            "aeb.speed_median": speed.median_ratio,
            "aeb.speed_total": speed.total_ratio,
            "aeb.speed_cpu_median": speed.cpu_median_ratio,
            "aeb.pages_per_s": speed.pages_per_s(name),
            "aeb.timing_failures": speed.failures[name].crashes + speed.failures[name].hangs,
        }
        reference |= {"aeb.speed_total": 1.0, "aeb.pages_per_s": speed.pages_per_s(REFERENCE)}

    print_table(
        "aeb-dev figures against the targets of issue 3",
        ["figure", "data", "trafilatura", name, "target", "met"],
        target_rows(figures, reference),
    )
    print(f"\nextraction.py took {clock.seconds:.1f}s")

    out: dict[str, Any] = {
        "script": "extraction",
        "candidate": name,
        "pages": len(pages),
        "seconds": clock.seconds,
        "figures": figures,
        "reference": reference,
        "per_page": shingle_rows(pages, counts[name], counts[REFERENCE], results[name]),
    }
    if args.json:
        write_json(args.json, out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    return script_main(build_parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
