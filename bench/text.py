"""Text-dump cleaning on aeb-dev/text: body shingle F1 and dumps/s of ``scraper.clean_text``.

    python bench/text.py [--candidate trafilatura] [--limit N] [--rounds 5] [--verbose]

Quality: ``clean_text(text, url=url).body`` against the true bodies, each dump run in a child
process under ``--timeout``; two references from issue 6 are scored beside it: the whole dump,
and the dump's lines of at least 10 words whose last character is punctuation.
Speed: the dumps one after another in this process, pinned to one core, ``--rounds`` times after
a warm-up; dumps/s is the median over rounds, by the wall clock and by this process's CPU time.
On a shared machine both swing with the load (printed beside them): the best round's CPU rate
is the least disturbed one.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from candidates import Candidate, Extracted, load_candidate
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
from metrics import load_aeb, shingle_counts, shingle_score, timed_call

MIN_WORDS = 10


def whole_dump(text: str) -> str:
    """Reference 1: the dump kept whole."""
    return text


def long_punctuated_lines(text: str) -> str:
    """Reference 2: lines of at least 10 words ending in a Unicode punctuation character."""
    kept = []
    for line in text.splitlines():
        line = line.strip()
        if line and len(line.split()) >= MIN_WORDS and unicodedata.category(line[-1])[0] == "P":
            kept.append(line)
    return "\n\n".join(kept)


WHOLE = "whole dump"
LINES = "lines >= 10 words ending in punctuation"
REFERENCES: dict[str, Callable[[str], str]] = {WHOLE: whole_dump, LINES: long_punctuated_lines}


def measure_speed(
    call: Callable[[int], Any], n: int, rounds: int, warmup: int | None, timeout: float
) -> tuple[list[float], list[float], Failures]:
    """Wall-clock seconds of each round over all ``n`` dumps (sum of the calls), the CPU
    seconds of each round, and timing failures.

    CPU time counts only what this process ran on its core: on a shared machine, time
    taken by other processes or virtual machines inflates the wall clock, not this.
    """
    for i in range(n if warmup is None else min(warmup, n)):
        timed_call(functools.partial(call, i), timeout)
    totals = []
    cpu_totals = []
    failures = Failures()
    with one_core():
        for _ in range(rounds):
            gc.collect()
            total = 0.0
            cpu_start = time.process_time()
            for i in range(n):
                result = timed_call(functools.partial(call, i), timeout)
                failures.add(result)
                total += result.seconds
            cpu_totals.append(time.process_time() - cpu_start)
            totals.append(total)
    return totals, cpu_totals, failures


def _load() -> str:
    """The machine's 1-minute load average: how much others ran beside the timed rounds."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def build_parser() -> argparse.ArgumentParser:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument(
        "--warmup", type=int, default=None, help="dumps run once before timing (default: all)"
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput pass")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    clock = Stopwatch()
    pages = load_aeb(args.data / "aeb-dev", limit=args.limit, html=False, text=True)
    candidate: Candidate = load_candidate(args.candidate, needs=("clean_text",))
    name = candidate.name
    print(f"aeb-dev/text: {len(pages)} dumps from {args.data / 'aeb-dev'}; candidate: {name}")

    def run_candidate(i: int) -> Extracted:
        return candidate.clean_text(pages[i].text or "", pages[i].url)

    tasks: dict[str, Callable[[int], Any]] = {name: run_candidate}
    results = run_isolated(tasks, len(pages), args, lambda i: pages[i].id[:12])[name]
    failures = Failures()
    for r in results:
        failures.add(r)
    bodies = {name: [r.value.body if isinstance(r.value, Extracted) else "" for r in results]}
    for label, heuristic in REFERENCES.items():
        bodies[label] = [heuristic(p.text or "") for p in pages]
    counts = {
        label: [shingle_counts(p.truth, b) for p, b in zip(pages, bs, strict=True)]
        for label, bs in bodies.items()
    }
    scores = {label: shingle_score(c) for label, c in counts.items()}
    print_table(
        "Text-dump body shingle F1 (per-page normalised; mean P, mean R, F1 of the means); "
        f"timeout {args.timeout:g}s a dump",
        ["cleaner", "precision", "recall", "F1", "crashes", "hangs", "declined"],
        [
            [label, s.precision, s.recall, s.f1]
            + (
                [failures.crashes, failures.hangs, failures.rejected]
                if label == name
                else [None, None, None]
            )
            for label, s in scores.items()
        ],
    )
    for page, r in zip(pages, results, strict=True):
        if (why := problem(r)) is not None:
            print(f"  {name} on {page.id[:12]} {page.url}: {why}")

    figures: dict[str, float | None] = {
        "text.f1": scores[name].f1,
        "text.precision": scores[name].precision,
        "text.recall": scores[name].recall,
        "text.crashes": failures.crashes + failures.hangs,
        "text.declined": failures.rejected,
    }
    reference: dict[str, float | None] = {
        "text.f1": scores[LINES].f1,
        "text.f1_whole_dump": scores[WHOLE].f1,
        "text.f1_long_lines": scores[LINES].f1,
    }

    if not args.no_speed:
        ok = [i for i, r in enumerate(results) if r.ok]
        load_before = _load()
        totals, cpu_totals, timing_failures = measure_speed(
            lambda k: run_candidate(ok[k]), len(ok), args.rounds, args.warmup, args.timeout
        )
        load_after = _load()
        rates = [len(ok) / t if t else 0.0 for t in totals]
        median_rate = statistics.median(rates) if rates else None
        cpu_rates = [len(ok) / t if t else 0.0 for t in cpu_totals]
        cpu_rate = statistics.median(cpu_rates)
        line_totals, line_cpu_totals, _ = measure_speed(
            lambda k: long_punctuated_lines(pages[ok[k]].text or ""),
            len(ok),
            args.rounds,
            args.warmup,
            args.timeout,
        )
        line_rate = statistics.median(len(ok) / t if t else 0.0 for t in line_totals)
        line_cpu_rate = statistics.median(len(ok) / t if t else 0.0 for t in line_cpu_totals)
        # the line filter in the same process: a yardstick that slows down with the machine
        yardstick = line_cpu_rate / cpu_rate if cpu_rate else None
        print_table(
            f"Throughput: {len(ok)} dumps, {args.rounds} rounds after a warm-up of "
            f"{'all dumps' if args.warmup is None else args.warmup}, one core",
            [
                "cleaner",
                "dumps/s (median)",
                "round dumps/s",
                "dumps per CPU second (median)",
                "(best round)",
                "CPU ms a dump (median)",
            ],
            [
                [
                    name,
                    median_rate,
                    ", ".join(f"{r:.0f}" for r in rates),
                    cpu_rate,
                    max(cpu_rates),
                    1000 / cpu_rate if cpu_rate else None,
                ],
                [LINES, line_rate, "", line_cpu_rate, None, None],
            ],
        )
        if yardstick is not None:
            print(f"  {name} takes {yardstick:.1f}x the CPU time of the line filter")
        print(
            "  (wall clock per call; CPU seconds per round exclude time taken by other work"
            f" on a shared machine; load average {load_before} before, {load_after} after)"
        )
        figures["text.dumps_per_s"] = median_rate
        figures["text.dumps_per_cpu_s"] = cpu_rate
        figures["text.dumps_per_cpu_s_best"] = max(cpu_rates)
        figures["text.cpu_vs_line_filter"] = yardstick
        figures["text.timing_failures"] = timing_failures.crashes + timing_failures.hangs
        reference["text.dumps_per_s"] = None

    if args.verbose:
        order = sorted(range(len(pages)), key=lambda i: counts[name][i].f1)
        rows = []
        for i in order[: args.worst]:
            c, ref = counts[name][i], counts[LINES][i]
            rows.append([pages[i].id[:12], c.precision, c.recall, c.f1, ref.f1, pages[i].url[:70]])
        print_table(
            f"Worst {len(rows)} dumps for {name}",
            ["id", "P", "R", "F1", "lines-reference F1", "url"],
            rows,
        )

    print_table(
        "Text-dump figures against the targets of issue 6 (reference: the line filter)",
        ["figure", "data", "reference", name, "target", "met"],
        target_rows(figures, reference),
    )
    print(f"\ntext.py took {clock.seconds:.1f}s")

    out: dict[str, Any] = {
        "script": "text",
        "candidate": name,
        "pages": len(pages),
        "seconds": clock.seconds,
        "figures": figures,
        "reference": reference,
        "per_page": shingle_rows(pages, counts[name], counts[LINES], results),
    }
    if args.json:
        write_json(args.json, out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    return script_main(build_parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
