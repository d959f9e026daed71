"""Shared pieces of the benchmark scripts: metrics, metadata folding, data loaders, timing.

Everything here is a pure function or a small record, so the metric can be unit-tested
(``tests/unit/test_bench_metrics.py``) and the scripts stay thin. The metric definitions follow
``../shared/bench/README.md`` (shingle F1) and issue 3 (snippet F1, metadata accuracy).
"""

from __future__ import annotations

import gzip
import json
import re
import signal
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")

SHINGLE_N = 4

# The data lives beside the repository, never in it: <repo>/../shared/bench.
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench"

# ---------------------------------------------------------------------------------------------
# Shingle F1 (article-extraction-benchmark)
# ---------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+")


def tokenize(text: str | None) -> list[str]:
    """Unicode ``\\w+`` tokens, case kept."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    """Multiset of contiguous n-token shingles; a text of 1..n-1 tokens is one shingle."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class ShingleCounts:
    """One page's tp, fp, fn, divided by tp+fp+fn so that every page weighs the same."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """tp/(tp+fp); None when the page is skipped (tp+fp = 0: nothing predicted)."""
        if self.tp + self.fp == 0:
            return None
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """tp/(tp+fn); None when the page is skipped (tp+fn = 0: empty ground truth)."""
        if self.tp + self.fn == 0:
            return None
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Per-page F1, for ranking pages in error analysis (skipped sides count as 0)."""
        return f1_score(self.precision or 0.0, self.recall or 0.0)


def shingle_counts(truth: str | None, predicted: str | None, n: int = SHINGLE_N) -> ShingleCounts:
    true_sh = shingles(truth, n)
    pred_sh = shingles(predicted, n)
    tp = float(sum((true_sh & pred_sh).values()))
    fp = float(sum((pred_sh - true_sh).values()))
    fn = float(sum((true_sh - pred_sh).values()))
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return ShingleCounts(tp, fp, fn)


@dataclass(frozen=True)
class ShingleScore:
    precision: float
    recall: float
    f1: float
    pages: int


def f1_score(precision: float, recall: float) -> float:
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def shingle_score(counts: Iterable[ShingleCounts]) -> ShingleScore:
    """Mean precision and mean recall over pages (with the skip rules), F1 of the two means."""
    counts = list(counts)
    precisions = [p for p in (c.precision for c in counts) if p is not None]
    recalls = [r for r in (c.recall for c in counts) if r is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    return ShingleScore(precision, recall, f1_score(precision, recall), len(counts))


def shingle_f1(truth: str, predicted: str) -> float:
    """F1 of a single page as the benchmark would score a one-page set."""
    return shingle_score([shingle_counts(truth, predicted)]).f1


# ---------------------------------------------------------------------------------------------
# Snippet F1 (traf-dev: `with` / `without` strings)
# ---------------------------------------------------------------------------------------------


def normalize_space(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class SnippetCounts:
    """tp: `with` found; fn: `with` missing; fp: `without` found; tn: `without` absent."""

    tp: int
    fn: int
    fp: int
    tn: int
    missing: tuple[str, ...] = ()
    leaked: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        return self.fn + self.fp


def snippet_counts(body: str | None, with_: Sequence[str], without: Sequence[str]) -> SnippetCounts:
    """Look the snippets up in the whitespace-normalised body (both sides normalised)."""
    text = normalize_space(body)
    missing = tuple(s for s in with_ if normalize_space(s) not in text)
    leaked = tuple(s for s in without if normalize_space(s) in text)
    return SnippetCounts(
        tp=len(with_) - len(missing),
        fn=len(missing),
        fp=len(leaked),
        tn=len(without) - len(leaked),
        missing=missing,
        leaked=leaked,
    )


@dataclass(frozen=True)
class SnippetScore:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int


def snippet_score(counts: Iterable[SnippetCounts]) -> SnippetScore:
    """Counts pooled over all pages; P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2PR/(P+R)."""
    tp = fp = fn = tn = 0
    for c in counts:
        tp, fp, fn, tn = tp + c.tp, fp + c.fp, fn + c.fn, tn + c.tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return SnippetScore(precision, recall, f1_score(precision, recall), tp, fp, fn, tn)


def miss_cause(
    snippet: str, description: str | None, dropped: Iterable[tuple[str, str, str]]
) -> str:
    """Why a `with` string is not in the body: moved to the description (a standfirst),
    dropped by a named stage and reason ("noise:kicker", "preclean:class:widget"), or never
    extracted. A drop record keeps the first 120 characters of what it dropped, so text deep
    inside a dropped widget counts as never extracted."""
    wanted = normalize_space(snippet)
    if description and wanted in normalize_space(description):
        return "description"
    for stage, reason, detail in dropped:
        shown = normalize_space(detail)
        if shown and (wanted in shown or (len(shown) >= 20 and shown[:60] in wanted)):
            return f"{stage}:{reason}"
    return "not extracted"


# ---------------------------------------------------------------------------------------------
# Metadata folding and accuracy
# ---------------------------------------------------------------------------------------------

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"

_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(SINGLE_QUOTES, "'"),
        **dict.fromkeys(DOUBLE_QUOTES, '"'),
        "\u2026": "...",
    }
)


def fold(text: str | None) -> str:
    """Fold case, collapse whitespace, typographic dashes to '-', curly quotes to straight,
    '…' to '...'. None folds to ''."""
    if not text:
        return ""
    return " ".join(text.translate(_FOLD_TABLE).casefold().split())


def join_authors(authors: str | Sequence[str] | None) -> str:
    """Authors as one string, entries joined with '; ' (a string is taken as already joined)."""
    if authors is None:
        return ""
    if isinstance(authors, str):
        return authors
    return "; ".join(a.strip() for a in authors if a and a.strip())


_DATE_RE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def date_key(value: str | None) -> str:
    """The YYYY-MM-DD prefix of an ISO date or datetime ('2022-11-1' pads to '2022-11-01')."""
    if not value:
        return ""
    m = _DATE_RE.match(value)
    if m is None:
        return value.strip()[:10]
    year, month, day = m.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def title_matches(truth: str | None, predicted: str | None) -> bool:
    return fold(truth) == fold(predicted)


def date_matches(truth: str | None, predicted: str | None) -> bool:
    return date_key(truth) == date_key(predicted)


def authors_match(truth: str | Sequence[str] | None, predicted: str | Sequence[str] | None) -> bool:
    return fold(join_authors(truth)) == fold(join_authors(predicted))


def accuracy(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


# ---------------------------------------------------------------------------------------------
# Loaders
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AebPage:
    """An aeb-dev page: HTML decoded as UTF-8, the text dump when asked for, the true body."""

    id: str
    url: str
    truth: str
    html: str | None = None
    text: str | None = None


def load_aeb(
    root: Path, *, limit: int | None = None, html: bool = True, text: bool = False
) -> list[AebPage]:
    """Pages of ``root`` (an ``aeb-dev`` folder), sorted by id; the first ``limit`` only."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        record = truth[page_id]
        page_html = None
        page_text = None
        if html:
            raw = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
            page_html = raw.decode("utf-8")
        if text:
            page_text = (root / "text" / f"{page_id}.txt").read_text(encoding="utf-8")
        pages.append(
            AebPage(page_id, record["url"], record["articleBody"] or "", page_html, page_text)
        )
    return pages


@dataclass(frozen=True)
class TrafPage:
    """A traf-dev page: raw (undecoded) HTML bytes and its annotations.

    ``url`` is the evaldata key when it is an http(s) URL, else None (a few keys are labels
    such as ``hard::blog.python.org.html``). Metadata fields are None when not annotated;
    an empty string means annotated as absent, and such pages are not scored (issue 3:
    "pages with a title").
    """

    key: str
    url: str | None
    file: str
    html: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]
    title: str | None = None
    date: str | None = None
    author: str | None = None


def load_trafdev(root: Path, *, limit: int | None = None) -> list[TrafPage]:
    """Pages of ``root`` (a ``traf-dev`` folder) in evaldata order; the first ``limit`` only."""
    evaldata: dict[str, dict[str, Any]] = json.loads(
        (root / "evaldata.json").read_text(encoding="utf-8")
    )
    pages = []
    for key, item in list(evaldata.items())[:limit]:
        author = item.get("author")
        if isinstance(author, list):
            author = join_authors(author)
        pages.append(
            TrafPage(
                key=key,
                url=key if key.startswith(("http://", "https://")) else None,
                file=item["file"],
                html=gzip.decompress((root / "html" / item["file"]).read_bytes()),
                with_=tuple(item.get("with") or ()),
                without=tuple(item.get("without") or ()),
                title=item.get("title"),
                date=item.get("date"),
                author=author,
            )
        )
    return pages


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


class CallTimeout(Exception):
    """A guarded call ran past its wall-clock limit."""


@dataclass
class CallResult(Generic[T]):
    """What one guarded call gave: its value, or an error; seconds spent either way."""

    value: T | None
    seconds: float
    error: str | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out


def _alarm(signum: int, frame: object) -> None:
    raise CallTimeout


def timed_call(fn: Callable[[], T], timeout: float | None = None) -> CallResult[T]:
    """Call ``fn()`` and time it with ``perf_counter``; exceptions become ``error``.

    With ``timeout`` (seconds), a SIGALRM timer interrupts the call when it runs over; this
    only works in the main thread, and only between Python bytecodes (a loop inside C code is
    not interrupted: the scripts run their quality pass in a child process for that).
    """
    guard = (
        timeout is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    previous: Any = None
    if guard and timeout is not None:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    try:
        value = fn()
        return CallResult(value, time.perf_counter() - start)
    except CallTimeout:
        return CallResult(None, time.perf_counter() - start, f"timeout after {timeout}s", True)
    except Exception as exc:
        return CallResult(None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    finally:
        if guard:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
