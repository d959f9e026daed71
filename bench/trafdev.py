"""Snippet F1 and metadata accuracy on traf-dev: the candidate against trafilatura.

    python bench/trafdev.py [--candidate trafilatura] [--limit N] [--verbose] [--causes]

Each page's raw HTML bytes go to ``scraper.extract(html, url=url)`` and to
``trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)``, in
a child process under ``--timeout`` (a page over it is a hang, an exception a crash).
Snippet F1 pools the `with`/`without` strings of all pages; title, date and authors accuracy
are over the pages annotated with a non-empty value of that field. ``--causes`` runs the
scraper again in this process on the pages that miss a `with` string and counts where each
went (the description, a named drop, or never extracted): the first place to look.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from candidates import Candidate, Extracted, load_candidate, trafilatura_document
from harness import (
    Failures,
    Stopwatch,
    base_parser,
    print_table,
    problem,
    run_isolated,
    script_main,
    target_rows,
    write_json,
)
from metrics import (
    CallResult,
    SnippetCounts,
    TrafPage,
    accuracy,
    authors_match,
    date_matches,
    join_authors,
    load_trafdev,
    miss_cause,
    snippet_counts,
    snippet_score,
    title_matches,
)

REFERENCE = "trafilatura"
EMPTY = Extracted(body="")

# field name -> (gold value of a page, predicted value, comparison)
FIELDS: dict[str, tuple[Callable[[TrafPage], Any], Callable[[Extracted], Any], Any]] = {
    "title": (lambda p: p.title, lambda e: e.title, title_matches),
    "date": (lambda p: p.date, lambda e: e.published, date_matches),
    "authors": (lambda p: p.author, lambda e: join_authors(e.authors), authors_match),
}


def build_parser() -> argparse.ArgumentParser:
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--causes",
        action="store_true",
        help="count where the missed `with` strings went (scraper only; --verbose lists them)",
    )
    return parser


def short(text: object, width: int = 48) -> str:
    s = " ".join(str(text).split()) if text is not None else "-"
    return s if len(s) <= width else s[: width - 1] + "…"


def scores_of(
    pages: Sequence[TrafPage], results: Sequence[CallResult[Any]]
) -> tuple[list[Extracted], list[SnippetCounts], dict[str, list[bool]], Failures]:
    extracted = [r.value if isinstance(r.value, Extracted) else EMPTY for r in results]
    pairs = list(zip(pages, extracted, strict=True))
    snippets = [snippet_counts(e.body, p.with_, p.without) for p, e in pairs]
    hits: dict[str, list[bool]] = {}
    for field, (gold, predicted, same) in FIELDS.items():
        hits[field] = [bool(same(gold(p), predicted(e))) for p, e in pairs if gold(p)]
    failures = Failures()
    for r in results:
        failures.add(r)
    return extracted, snippets, hits, failures


def run(args: argparse.Namespace) -> dict[str, Any]:
    clock = Stopwatch()
    pages = load_trafdev(args.data / "traf-dev", limit=args.limit)
    candidate: Candidate = load_candidate(args.candidate, needs=("extract",))
    name = candidate.name
    print(f"traf-dev: {len(pages)} pages from {args.data / 'traf-dev'}; candidate: {name}")

    def run_candidate(i: int) -> Extracted:
        return candidate.extract(pages[i].html, pages[i].url)

    def run_reference(i: int) -> Extracted:
        return trafilatura_document(pages[i].html, pages[i].url)

    tasks: dict[str, Callable[[int], Any]] = {name: run_candidate, REFERENCE: run_reference}
    results = run_isolated(tasks, len(pages), args, lambda i: pages[i].file)

    per: dict[str, Any] = {n: scores_of(pages, res) for n, res in results.items()}
    figures_by: dict[str, dict[str, float | None]] = {}
    rows = []
    for n, (_, snippets, hits, failures) in per.items():
        score = snippet_score(snippets)
        seconds = sum(r.seconds for r in results[n])
        figures_by[n] = {
            "trafdev.snippet_f1": score.f1,
            "trafdev.snippet_precision": score.precision,
            "trafdev.snippet_recall": score.recall,
            "trafdev.title": accuracy(hits["title"]),
            "trafdev.date": accuracy(hits["date"]),
            "trafdev.authors": accuracy(hits["authors"]),
            "trafdev.crashes": failures.crashes,
            "trafdev.hangs": failures.hangs,
            "trafdev.declined": failures.rejected,
            "trafdev.pages_per_s": len(pages) / seconds if seconds else None,
        }
        f = figures_by[n]
        rows.append(
            [
                n,
                score.precision,
                score.recall,
                score.f1,
                f["trafdev.title"],
                f["trafdev.date"],
                f["trafdev.authors"],
                failures.crashes,
                failures.hangs,
                failures.rejected,
                f["trafdev.pages_per_s"],
            ]
        )
    _, _, ref_hits, _ = per[REFERENCE]
    print_table(
        "Snippet F1 (pooled over pages) and metadata accuracy (pages annotated: "
        + ", ".join(f"{field} {len(h)}" for field, h in ref_hits.items())
        + f"); timeout {args.timeout:g}s a page",
        [
            "extractor",
            "snippet P",
            "snippet R",
            "snippet F1",
            "title",
            "date",
            "authors",
            "crashes",
            "hangs",
            "declined",
            "pages/s*",
        ],
        rows,
    )
    print("* pages/s from the isolated quality pass: indicative only; bench/extraction.py times.")
    for n, res in results.items():
        for page, r in zip(pages, res, strict=True):
            if (why := problem(r)) is not None:
                print(f"  {n} on {page.file} {page.key}: {why}")

    if args.verbose:
        print_worst(pages, per[name], args.worst, name)
    if args.causes:
        print_causes(pages, per[name][1], verbose=args.verbose, most=args.worst)

    figures, reference = figures_by[name], figures_by[REFERENCE]
    print_table(
        "traf-dev figures against the targets of issue 3",
        ["figure", "data", "trafilatura", name, "target", "met"],
        target_rows(figures, reference),
    )
    print(f"\ntrafdev.py took {clock.seconds:.1f}s")

    extracted, snippets, _, _ = per[name]
    out: dict[str, Any] = {
        "script": "trafdev",
        "candidate": name,
        "pages": len(pages),
        "seconds": clock.seconds,
        "figures": figures,
        "reference": reference,
        "per_page": [
            {
                "key": p.key,
                "file": p.file,
                "missing": list(s.missing),
                "leaked": list(s.leaked),
                "title": [p.title, e.title],
                "date": [p.date, e.published],
                "authors": [p.author, join_authors(e.authors)],
                "error": problem(r),
            }
            for p, e, s, r in zip(pages, extracted, snippets, results[name], strict=True)
        ],
    }
    if args.json:
        write_json(args.json, out)
    return out


def print_worst(pages: Sequence[TrafPage], scored: Any, worst: int, name: str) -> None:
    """Pages with the most snippet errors, then metadata mismatches field by field."""
    extracted, snippets, _, _ = scored
    order = sorted(range(len(pages)), key=lambda i: -snippets[i].errors)
    rows = [
        [
            pages[i].file,
            snippets[i].tp,
            snippets[i].fn,
            snippets[i].fp,
            short(snippets[i].missing[0] if snippets[i].missing else None, 40),
            short(snippets[i].leaked[0] if snippets[i].leaked else None, 40),
            short(pages[i].key, 50),
        ]
        for i in order[:worst]
        if snippets[i].errors
    ]
    print_table(
        f"Worst snippet pages for {name}",
        ["file", "tp", "fn", "fp", "first missing", "first leaked", "key"],
        rows,
    )
    for field, (gold, predicted, same) in FIELDS.items():
        wrong = [
            [pages[i].file, short(gold(pages[i])), short(predicted(extracted[i]))]
            for i in range(len(pages))
            if gold(pages[i]) and not same(gold(pages[i]), predicted(extracted[i]))
        ]
        print_table(
            f"{field}: {len(wrong)} wrong for {name} (first {min(worst, len(wrong))})",
            ["file", "annotated", "extracted"],
            wrong[:worst],
        )


def print_causes(
    pages: Sequence[TrafPage], snippets: Sequence[SnippetCounts], *, verbose: bool, most: int
) -> None:
    """Missed `with` strings by where they went, from the scraper's own drop records."""
    try:
        from scraper.api import explain
        from scraper.errors import ScraperError
    except ImportError:
        print("--causes needs the scraper package")
        return
    found: dict[str, list[tuple[str, str]]] = {}
    for page, counts in zip(pages, snippets, strict=True):
        if not counts.missing:
            continue
        try:
            result = explain(page.html, page.url).page
        except ScraperError as exc:
            causes = [f"declined: {type(exc).__name__}"] * len(counts.missing)
        else:
            drops = [(d.stage, d.reason, d.detail) for d in result.dropped]
            causes = [miss_cause(s, result.description, drops) for s in counts.missing]
        for snippet, cause in zip(counts.missing, causes, strict=True):
            found.setdefault(cause, []).append((page.file, snippet))
    ranked = sorted(found.items(), key=lambda item: -len(item[1]))
    print_table(
        "Missed `with` strings by cause",
        ["cause", "strings", "first"],
        [[cause, len(hits), f"{hits[0][0]}: {short(hits[0][1], 50)}"] for cause, hits in ranked],
    )
    if verbose:
        for cause, hits in ranked:
            print(f"\n{cause}:")
            for file, snippet in hits[:most]:
                print(f"  {file}  {short(snippet, 90)}")


def main(argv: Sequence[str] | None = None) -> int:
    return script_main(build_parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
