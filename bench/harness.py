"""Plumbing the benchmark scripts share: command-line options, the isolated runner that bounds
every page by a timeout, one-core pinning, the targets of issues 3 and 6, and table output."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from candidates import CANDIDATES
from metrics import DEFAULT_DATA, CallResult, timed_call

DEFAULT_TIMEOUT = 10.0

# ---------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------


def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder holding aeb-dev/ and traf-dev/ (default: <repo>/../shared/bench)",
    )
    parser.add_argument(
        "--candidate",
        choices=sorted(CANDIDATES),
        default="scraper",
        help="what to measure: the scraper package (default) or a trafilatura stand-in",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="per-page wall-clock limit in seconds; a page over it is a hang",
    )
    parser.add_argument(
        "--no-isolate",
        action="store_true",
        help="run the quality pass in this process (SIGALRM guard) instead of a child process",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--verbose", action="store_true", help="list the worst pages")
    parser.add_argument("--worst", type=int, default=10, help="how many pages --verbose lists")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target figure is not met"
    )
    return parser


# ---------------------------------------------------------------------------------------------
# Isolated runner: every call bounded by a timeout, crashes and hangs counted, not fatal
# ---------------------------------------------------------------------------------------------

Task = Callable[[int], Any]


def _serve(conn: Connection, tasks: Mapping[str, Task]) -> None:
    """Child loop: receive (task, index), send (status, value or error, seconds)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, index = message
        start = time.perf_counter()
        try:
            value = tasks[task](index)
            conn.send(("ok", value, time.perf_counter() - start))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}", time.perf_counter() - start))


class IsolatedRunner:
    """Runs named tasks on page indexes in a forked child process.

    The child inherits the loaded pages and the candidate, so only an index goes in and a
    small record comes back. A call with no answer within ``timeout`` seconds is a hang: the
    child is killed and a fresh one forked for the next call; the call gets one more try
    before it counts as a hang (``retried`` lists those calls). A child that dies (a segfault,
    an ``os._exit``) is a crash. With ``isolate=False`` (or without ``fork``) calls run in
    this process under a SIGALRM guard, which cannot interrupt a loop inside C code.
    """

    def __init__(
        self, tasks: Mapping[str, Task], timeout: float, isolate: bool = True, retries: int = 1
    ) -> None:
        self._tasks = dict(tasks)
        self._timeout = timeout
        self._retries = retries
        self.retried: list[tuple[str, int, str]] = []
        self._isolate = isolate and "fork" in multiprocessing.get_all_start_methods()
        self._process: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> IsolatedRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        ctx = multiprocessing.get_context("fork")
        parent_conn, child_conn = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child_conn, self._tasks), daemon=True)
        self._process.start()
        child_conn.close()
        self._conn = parent_conn
        return parent_conn

    def _stop(self, kill: bool) -> int | None:
        process, self._process = self._process, None
        if self._conn is not None:
            with contextlib.suppress(OSError):
                if not kill:
                    self._conn.send(None)
            self._conn.close()
            self._conn = None
        if process is None:
            return None
        if kill:
            process.kill()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
        code: int | None = process.exitcode
        return code

    def close(self) -> None:
        self._stop(kill=False)

    def call(self, task: str, index: int) -> CallResult[Any]:
        """Run one task on one page; a call over the timeout is tried once more in a fresh
        child (a stalled machine is not a hang) and counted in ``retried`` either way."""
        result = self._call_once(task, index)
        if result.timed_out and self._retries > 0:
            self.retried.append((task, index, result.error or ""))
            result = self._call_once(task, index)
        return result

    def _call_once(self, task: str, index: int) -> CallResult[Any]:
        if not self._isolate:
            return timed_call(lambda: self._tasks[task](index), self._timeout)
        conn = self._start()
        start = time.perf_counter()
        conn.send((task, index))
        if not conn.poll(self._timeout):
            self._stop(kill=True)
            elapsed = time.perf_counter() - start
            return CallResult(None, elapsed, f"hang: no result after {self._timeout:g}s", True)
        try:
            status, payload, seconds = conn.recv()
        except (EOFError, OSError):
            code = self._stop(kill=True)
            return CallResult(None, time.perf_counter() - start, f"worker died (exit {code})")
        if status == "ok":
            return CallResult(payload, seconds)
        return CallResult(None, seconds, payload)


def report_retries(runner: IsolatedRunner, page_label: Callable[[int], str]) -> None:
    for task, index, error in runner.retried:
        print(f"  note: {task} on {page_label(index)} was retried after: {error}")


@dataclass
class Failures:
    """Crashes (unexpected exceptions, dead workers), hangs (over the timeout, or the
    package's own timeout error) and rejections (pages declined on purpose) of one extractor."""

    crashes: int = 0
    hangs: int = 0
    rejected: int = 0

    def add(self, result: CallResult[Any]) -> None:
        if result.timed_out:
            self.hangs += 1
        elif result.error is not None:
            self.crashes += 1
        else:
            why = problem(result)
            if why is not None:
                if "timeout" in why.lower():
                    self.hangs += 1
                else:
                    self.rejected += 1


def problem(result: CallResult[Any]) -> str | None:
    """What went wrong with a call, if anything: its error, or the page's rejection."""
    if result.error is not None:
        return result.error
    rejected = getattr(result.value, "rejected", None)
    if rejected is None:
        return None
    reason = getattr(result.value, "reason", None)
    return f"declined ({reason}): {rejected}" if reason else f"declined: {rejected}"


# ---------------------------------------------------------------------------------------------
# Timing helpers
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def one_core() -> Iterator[int | None]:
    """Pin this process to one CPU for the duration (Linux); yields the CPU used."""
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


# ---------------------------------------------------------------------------------------------
# Targets (issue 3: HTML extraction; issue 6: text dumps)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    data: str
    goal: float
    at_most: bool = False  # goal is a ceiling (crashes, hangs) rather than a floor
    issue: int = 3

    def met(self, value: float | None) -> bool:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return False
        return value <= self.goal if self.at_most else value >= self.goal

    @property
    def goal_text(self) -> str:
        if self.at_most:
            return f"≤ {self.goal:g}" if self.goal else "0"
        return f"≥ {self.goal:g}"


TARGETS: tuple[Target, ...] = (
    Target("aeb.f1", "body shingle F1", "aeb-dev", 0.975),
    Target("aeb.speed_median", "throughput ratio (median/page)", "aeb-dev", 2.0),
    Target("trafdev.snippet_f1", "snippet F1", "traf-dev", 0.945),
    Target("trafdev.title", "title accuracy", "traf-dev", 0.80),
    Target("trafdev.date", "published-date accuracy", "traf-dev", 0.92),
    Target("trafdev.authors", "authors accuracy", "traf-dev", 0.70),
    Target("aeb.crashes", "crashes", "aeb-dev", 0, at_most=True),
    Target("aeb.hangs", "hangs (over the timeout)", "aeb-dev", 0, at_most=True),
    Target("trafdev.crashes", "crashes", "traf-dev", 0, at_most=True),
    Target("trafdev.hangs", "hangs (over the timeout)", "traf-dev", 0, at_most=True),
    Target("text.f1", "text-dump body shingle F1", "aeb-dev/text", 0.93, issue=6),
    Target("text.dumps_per_s", "text dumps/s, one core", "aeb-dev/text", 1000, issue=6),
    Target("text.crashes", "text-dump crashes + hangs", "aeb-dev/text", 0, at_most=True, issue=6),
)

TARGET_BY_KEY = {t.key: t for t in TARGETS}


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: columns of numbers right-aligned, the others left-aligned."""
    cells = [[str(h) for h in headers], *[[fmt(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        i > 0 and all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        for i in range(len(headers))
    ]

    def line(row: Sequence[str]) -> str:
        parts = [
            row[i].rjust(widths[i]) if numeric[i] else row[i].ljust(widths[i])
            for i in range(len(row))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    print(f"\n{title}")
    print(format_table(headers, rows))


def target_rows(
    figures: Mapping[str, float | None],
    reference: Mapping[str, float | None],
    keys: Sequence[str] | None = None,
) -> list[list[object]]:
    """Rows of figure | data | reference | candidate | target | met: the targets whose figure
    was measured, or every target named in ``keys`` (a missing figure shows as '-', not met)."""
    rows: list[list[object]] = []
    for target in TARGETS:
        if (target.key not in keys) if keys is not None else (target.key not in figures):
            continue
        value = figures.get(target.key)
        rows.append(
            [
                target.label,
                target.data,
                reference.get(target.key),
                value,
                target.goal_text,
                target.met(value),
            ]
        )
    return rows


def targets_met(figures: Mapping[str, float | None]) -> bool:
    return all(TARGET_BY_KEY[k].met(v) for k, v in figures.items() if k in TARGET_BY_KEY)


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {path}")


def run_isolated(
    tasks: Mapping[str, Callable[[int], Any]],
    count: int,
    args: argparse.Namespace,
    page_label: Callable[[int], str],
) -> dict[str, list[CallResult[Any]]]:
    """Every task on every page, page by page, each call bounded by ``args.timeout``."""
    results: dict[str, list[CallResult[Any]]] = {name: [] for name in tasks}
    with IsolatedRunner(tasks, args.timeout, isolate=not args.no_isolate) as runner:
        for i in range(count):
            for task in tasks:
                results[task].append(runner.call(task, i))
        report_retries(runner, page_label)
    return results


def shingle_rows(
    pages: Sequence[Any],
    counts: Sequence[Any],
    reference: Sequence[Any],
    results: Sequence[CallResult[Any]],
) -> list[dict[str, Any]]:
    """Per-page records of the JSON report of the shingle-F1 scripts."""
    return [
        {
            "id": page.id,
            "url": page.url,
            "precision": counts[i].precision,
            "recall": counts[i].recall,
            "f1": counts[i].f1,
            "reference_f1": reference[i].f1,
            "error": problem(results[i]),
            "seconds": results[i].seconds,
        }
        for i, page in enumerate(pages)
    ]


def script_main(
    build_parser: Callable[[], argparse.ArgumentParser],
    run: Callable[[argparse.Namespace], dict[str, Any]],
    argv: Sequence[str] | None = None,
) -> int:
    """Parse, run, and with ``--check`` exit 1 when a target is not met."""
    args = build_parser().parse_args(argv)
    figures = run(args)["figures"]
    return 1 if args.check and not targets_met(figures) else 0
