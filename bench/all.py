"""Every figure of issues 3 and 6 in one command: runs extraction.py, trafdev.py and text.py.

    python bench/all.py [--candidate trafilatura] [--limit N] [--json all.json] [--check]

Each script runs in its own process (so one's memory and caches do not slow the next's
timings) and prints its own tables; the last table gathers every figure with its target.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness import TARGETS, Stopwatch, base_parser, print_table, target_rows, write_json

HERE = Path(__file__).resolve().parent
SCRIPTS = ("extraction", "trafdev", "text")


def forwarded(args: Any) -> list[str]:
    """The options every script shares, as given to this one."""
    argv = ["--data", str(args.data), "--candidate", args.candidate, "--timeout", str(args.timeout)]
    if args.limit is not None:
        argv += ["--limit", str(args.limit)]
    if args.no_isolate:
        argv.append("--no-isolate")
    if args.verbose:
        argv += ["--verbose", "--worst", str(args.worst)]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=3, help="extraction.py timed rounds")
    parser.add_argument("--text-rounds", type=int, default=5, help="text.py timed rounds")
    parser.add_argument(
        "--only", choices=SCRIPTS, action="append", help="run this script only (repeatable)"
    )
    args = parser.parse_args(argv)
    clock = Stopwatch()

    figures: dict[str, float | None] = {}
    reference: dict[str, float | None] = {}
    seconds: dict[str, float] = {}
    failed: list[str] = []
    candidate = args.candidate
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for script in args.only or SCRIPTS:
            out = Path(tmp) / f"{script}.json"
            cmd = [sys.executable, str(HERE / f"{script}.py"), *forwarded(args), "--json", str(out)]
            if script == "extraction":
                cmd += ["--rounds", str(args.rounds)]
            if script == "text":
                cmd += ["--rounds", str(args.text_rounds)]
            print(f"\n=== {script}.py ===", flush=True)
            code = subprocess.run(cmd, check=False).returncode
            if code != 0 or not out.exists():
                failed.append(f"{script}.py (exit {code})")
                continue
            data = json.loads(out.read_text(encoding="utf-8"))
            figures |= data["figures"]
            reference |= data["reference"]
            seconds[script] = data["seconds"]
            candidate = data["candidate"]

    print("\n=== all figures ===")
    print_table(
        f"Targets of issues 3 and 6 (candidate: {candidate})",
        ["figure", "data", "trafilatura / reference", candidate, "target", "met"],
        target_rows(figures, reference, keys=None if args.only else [t.key for t in TARGETS]),
    )
    extra = [
        ("aeb-dev body", "aeb.precision", "aeb.recall"),
        ("traf-dev snippets", "trafdev.snippet_precision", "trafdev.snippet_recall"),
        ("text-dump body", "text.precision", "text.recall"),
    ]
    rows: list[list[object]] = [
        [label, reference.get(p), reference.get(r), figures.get(p), figures.get(r)]
        for label, p, r in extra
    ]
    print_table(
        "Precision and recall",
        ["figure", "reference P", "reference R", f"{candidate} P", f"{candidate} R"],
        rows,
    )
    print_table(
        "Speed",
        ["figure", "trafilatura / reference", candidate],
        [
            ["aeb-dev throughput ratio of total times", 1.0, figures.get("aeb.speed_total")],
            [
                "aeb-dev pages/s (one core)",
                reference.get("aeb.pages_per_s"),
                figures.get("aeb.pages_per_s"),
            ],
            ["text dumps/s (one core)", None, figures.get("text.dumps_per_s")],
        ],
    )
    print_table(
        "Pages declined on purpose (scored as empty; not crashes)",
        ["data", "trafilatura / reference", candidate],
        [
            ["aeb-dev", reference.get("aeb.declined"), figures.get("aeb.declined")],
            ["traf-dev", reference.get("trafdev.declined"), figures.get("trafdev.declined")],
            ["aeb-dev/text", None, figures.get("text.declined")],
        ],
    )
    print(
        "\nText-dump references (issue 6): whole dump "
        f"{_fmt(reference.get('text.f1_whole_dump'))}, lines of >= 10 words ending in "
        f"punctuation {_fmt(reference.get('text.f1_long_lines'))}."
    )
    took = ", ".join(f"{s}.py {t:.0f}s" for s, t in seconds.items())
    print(f"all.py took {clock.seconds:.0f}s ({took})")
    for f in failed:
        print(f"FAILED: {f}")

    result = {
        "candidate": candidate,
        "figures": figures,
        "reference": reference,
        "seconds": seconds,
        "failed": failed,
    }
    if args.json:
        write_json(args.json, result)
    missed = [
        t.key
        for t in TARGETS
        if (t.key in figures or not args.only) and not t.met(figures.get(t.key))
    ]
    if failed:
        return 2
    return 1 if args.check and missed else 0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
