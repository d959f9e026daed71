"""Text dumps: a page already flattened to text, cleaned with the same noise rules.

Lines are the unit, runs of lines the decision: the article is one dense run
of long, punctuated lines, and menus, link lists and footers cluster around
it. Each line is scored, the best-scoring contiguous run is the article, and
inside it the noise module drops what is still noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract._text import fold, squash
from scraper.extract.dates import find_date
from scraper.extract.media import split_credit
from scraper.extract.noise import (
    BULLET,
    NoiseContext,
    classify,
    is_prose,
    related_headline,
    tag_list,
)
from scraper.models import ExtractedPage, Image, Rejection, RelatedLink

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘]?[A-Z])")
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with", "vs", "via", "de", "la", "le", "el", "der", "die", "das", "und",
}  # fmt: skip


@dataclass
class _Line:
    index: int
    text: str
    bullet: bool
    reason: str | None = None


def _title_cased(text: str) -> bool:
    """'France Backs Venezuela Dialogue, Opposes EU Sanctions': a headline, not a sentence."""
    words = [w.strip("\"'“”‘’(),:") for w in text.split()]
    content = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if len(content) < 3:
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.75


def _score(line: _Line) -> float:
    n = len(line.text.split())
    if line.reason is not None:
        return -3.0
    if is_prose(line.text):
        return float(n)
    return -2.0 - min(n, 6) / 2


def _best_run(lines: list[_Line]) -> tuple[int, int]:
    """Maximum-sum contiguous run of line scores (Kadane); (start, end) inclusive."""
    best, best_span = float("-inf"), (0, -1)
    current, start = 0.0, 0
    for i, line in enumerate(lines):
        score = _score(line)
        if current <= 0:
            current, start = score, i
        else:
            current += score
        if current > best:
            best, best_span = current, (start, i)
    return best_span


def _captions(lines: list[_Line], ctx: NoiseContext) -> list[Image]:
    """A caption printed twice, once with its credit: the image's caption and credit."""
    images: list[Image] = []
    keys = {fold(line.text): line for line in lines}
    for line in lines:
        caption, credit = split_credit(line.text)
        if credit is None or caption == line.text:
            continue
        first = keys.get(fold(caption))
        if first is None and len(caption.split()) < 4:
            continue
        ctx.add_caption(caption)
        images.append(Image(caption=caption, credit=credit))
    return images


def clean_dump(text: str, url: str | None = None) -> ExtractedPage:
    page = ExtractedPage(url=url)
    raw_lines = [squash(line) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [
        _Line(i, BULLET.sub("", line) if BULLET.match(line) else line, bool(BULLET.match(line)))
        for i, line in enumerate(raw_lines)
        if line and BULLET.sub("", line).strip()
    ]
    ctx = NoiseContext()
    page.images = _captions(lines, ctx)
    counts: dict[str, int] = {}
    for line in lines:
        key = fold(line.text)
        counts[key] = counts.get(key, 0) + 1
    for line in lines:
        line.reason = classify(line.text, ctx)
        if line.reason is None and line.bullet and len(line.text.split()) <= 6:
            line.reason = "menu_item"
        if line.reason is None and counts[fold(line.text)] > 1 and not is_prose(line.text):
            line.reason = "repeated_line"

    start, end = _best_run(lines)
    kept: list[_Line] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line.reason is None and not start <= i <= end:
            line.reason = "outside_article"
        if (
            line.reason is None
            and not is_prose(line.text)
            and _title_cased(line.text)
            and len(line.text.split()) >= 4
        ):
            line.reason = "related_link"
        if line.reason is None and fold(line.text) in seen:
            line.reason = "duplicate"
        if line.reason is None:
            kept.append(line)
            seen.add(fold(line.text))
            continue
        _absorb(page, line)
    _standfirst(page, lines, kept)
    page.paragraphs = [line.text for line in kept]
    return page


def _absorb(page: ExtractedPage, line: _Line) -> None:
    """Record why a line went, and move what it carries to its field."""
    if line.reason == "dateline" and page.published is None:
        page.published = find_date(line.text)
    elif line.reason == "related_link":
        page.related.append(RelatedLink(title=related_headline(line.text) or line.text))
    elif line.reason == "tags" and not page.tags:
        page.tags = tag_list(line.text) or []
    page.dropped.append(
        Rejection(
            stage="text",
            reason=line.reason or "noise",
            input=str(line.index + 1),
            detail=line.text[:120],
        )
    )


def _standfirst(page: ExtractedPage, lines: list[_Line], kept: list[_Line]) -> None:
    """A one-sentence lead set off by the article header (caption, dateline) is the standfirst."""
    if len(kept) < 4:
        return
    first = kept[0]
    before = [line for line in lines if line.index < first.index]
    header = {"dateline", "caption", "byline"}
    if not before or before[-1].reason not in header:
        return
    if not _SENTENCE_BREAK.search(first.text) and len(first.text.split()) <= 40:
        page.description = first.text
        kept.pop(0)
        page.dropped.append(
            Rejection(
                stage="text",
                reason="standfirst",
                input=str(first.index + 1),
                detail=first.text[:120],
            )
        )
