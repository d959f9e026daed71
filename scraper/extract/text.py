"""Text dumps: a page already flattened to text, cleaned with the same noise rules.

Lines are the unit, runs of lines the decision: the article is one dense run
of long, punctuated lines, and menus, link lists and footers cluster around
it. Each line is scored, the best-scoring contiguous run is the article, and
inside it the noise module drops what is still noise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from scraper.extract._text import squash
from scraper.extract.dates import find_date
from scraper.extract.media import split_credit
from scraper.extract.noise import (
    BULLET_CHARS,
    SENTENCE_END_CHARS,
    NoiseContext,
    classify,
    related_headline,
    tag_list,
)
from scraper.extract.siterules import RuleRun
from scraper.models import Drop, ExtractedPage, Image, RelatedLink
from scraper.rules import SiteRules

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘]?[A-Z])")
OFF_INDENT_WEIGHT = 0.2
UNFINISHED_WEIGHT = 0.3
_CARRIERS = frozenset({"dateline", "related_link", "tags"})
_MENU_KINDS = frozenset({"share_widget", "navigation", "label", "social_prompt"})
HEADER_LINES = 8  # lines above the article checked for its dateline, caption, standfirst
_CREDIT_LABEL = re.compile(r"\b(?:photo|image|picture|credit|foto|bild)s?\s*:|©", re.IGNORECASE)
_CREDIT_MARK = re.compile(r"[|(©/]|credit|photo|Photo|PHOTO|Credit|CREDIT")
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with", "vs", "via", "de", "la", "le", "el", "der", "die", "das", "und",
}  # fmt: skip


@dataclass(slots=True)
class _Line:
    index: int
    text: str
    indent: int
    bullet: bool
    words: int
    prose: bool
    weight: float  # what the line counts for as article text
    reason: str | None = None


def _parse(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for index, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        if not stripped:
            continue
        if "\t" in raw:
            raw = raw.expandtabs(4)
            stripped = raw.strip()
        indent = raw.find(stripped[0])
        # "• Live", "* Facebook": a list marker and a space (not "-5 degrees")
        bullet = stripped[0] in BULLET_CHARS and stripped[1:2] in ("", " ")
        body = stripped[1:].lstrip() if bullet else stripped
        if "  " in body or "\t" in body or "\xa0" in body:
            body = squash(body)
        if not body:
            continue
        n = body.count(" ") + 1
        finished = body[-1] in SENTENCE_END_CHARS
        prose = n >= 20 or (n >= 8 and finished)  # noise.is_prose, inlined: this loop is hot
        # a paragraph ends a sentence; a teaser's blurb or a list of names often does not
        weight = (n if finished else n * UNFINISHED_WEIGHT) if prose else 0.0
        lines.append(_Line(index, body, indent, bullet, n, prose, weight))
    return lines


def _title_cased(text: str) -> bool:
    """'France Backs Venezuela Dialogue, Opposes EU Sanctions': a headline, not a sentence."""
    words = [w.strip("\"'“”‘’(),:") for w in text.split()]
    content = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if len(content) < 3:
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.75


def _article_indent(lines: list[_Line]) -> int | None:
    """The indentation the article's paragraphs share.

    Per column, the best run of prose where every other line of that column (a
    headline, a date, a link) counts against it: an article is paragraphs after
    paragraphs, a list of teasers alternates headlines and blurbs.
    """
    current: dict[int, float] = {}
    best: dict[int, float] = {}
    for line in lines:
        indent = line.indent
        if line.prose and line.reason is None and not line.bullet:
            score = current.get(indent, 0.0) + line.weight
            if score > best.get(indent, 0.0):
                best[indent] = score
        else:
            score = current.get(indent, 0.0) - line.words - 3
            if score < 0.0:
                score = 0.0
        current[indent] = score
    return max(best, key=best.__getitem__) if best else None


def _score(line: _Line, indent: int | None) -> float:
    if line.reason is not None:
        return -3.0
    # list items weigh like prose in another column: lists of teasers are common noise
    aligned = (indent is None or line.indent == indent) and not line.bullet
    if line.prose:
        return line.weight if aligned else line.weight * OFF_INDENT_WEIGHT
    return (-1.0 if aligned else -3.0) - min(line.words, 6) / 2


def _best_run(lines: list[_Line], indent: int | None) -> tuple[int, int]:
    """Maximum-sum contiguous run of line scores (Kadane); (start, end) inclusive."""
    best, best_span = float("-inf"), (0, -1)
    current, start = 0.0, 0
    scores = [_score(line, indent) for line in lines]
    for i, score in enumerate(scores):
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
    keys = {line.text for line in lines}
    for line in lines:
        if line.words > 40 or not _CREDIT_MARK.search(line.text):
            continue
        caption, credit = split_credit(line.text)
        if credit is None or caption == line.text:
            continue
        if caption not in keys and not (line.words <= 40 and _CREDIT_LABEL.search(line.text)):
            continue  # a sentence ending "(Reuters)" is not a caption without its twin
        ctx.add_caption(caption)
        images.append(Image(caption=caption, credit=credit))
    return images


def clean_dump(text: str, url: str | None = None, rules: SiteRules | None = None) -> ExtractedPage:
    """The article in a text dump; a site's ``drop_text`` rules drop lines before all else."""
    page = ExtractedPage(url=url)
    run = RuleRun(rules) if rules is not None else None
    lines = _parse(text)
    counts = Counter(line.text for line in lines)
    for line in lines:
        if run is not None and run.drop_text(line.text):
            line.reason = "site_rule:drop_text"
        elif line.bullet and line.words <= 6:
            line.reason = "menu_item"
        elif counts[line.text] > 1 and (line.bullet or not line.prose):
            line.reason = "repeated_line"  # a ticker or menu printed twice
    # Find the article with cheap features first, then judge only the lines near it:
    # most of a dump is menus and link lists that need no closer look.
    ctx = NoiseContext()
    judged: set[int] = set()
    indent = _article_indent(lines)
    start, end = _best_run(lines, indent)
    for _ in range(3):
        lo, hi = max(start - HEADER_LINES, 0), min(end + 5, len(lines) - 1)
        window = [pos for pos in range(lo, hi + 1) if pos not in judged]
        page.images.extend(_captions([lines[pos] for pos in window], ctx))
        noise_in_run = prose_noise = False
        for pos in window:
            judged.add(pos)
            line = lines[pos]
            if line.reason is None:
                line.reason = classify(line.text, ctx)
                if line.reason is not None:
                    noise_in_run |= start <= pos <= end
                    prose_noise |= line.prose
            elif line.reason == "menu_item":
                # near the article, say what kind of item it is (share label, nav link, ...)
                kind = classify(line.text, ctx)
                line.reason = kind if kind in _MENU_KINDS else "menu_item"
        # Noise found outside the run cannot make another run better than this one; only
        # noise inside it, or a new column, calls for another look.
        new_indent = _article_indent(lines) if prose_noise else indent  # prose sets the column
        if not noise_in_run and new_indent == indent:
            break
        indent = new_indent
        span = _best_run(lines, indent)
        if span == (start, end):
            break
        start, end = span

    end = _cut_at_comments(lines, start, end)
    kept: list[_Line] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line.reason is None and not start <= i <= end:
            line.reason = "outside_article"
            continue
        if line.reason is None and not line.prose:
            if indent is not None and line.indent != indent:
                line.reason = "off_column"
            elif _title_cased(line.text) and line.words >= 4:
                line.reason = "related_link"
        if line.reason is None:
            if line.text not in seen:
                kept.append(line)
                seen.add(line.text)
                continue
            line.reason = "duplicate"
        elif line.reason in _CARRIERS:
            _absorb(page, line)
    page.dropped.extend(_drops(lines))
    _standfirst(page, lines, kept)
    page.paragraphs = [line.text for line in kept]
    if run is not None:
        page.site_rules = run.hits(html=False)
    return page


def _drops(lines: list[_Line]) -> list[Drop]:
    """A record per dropped line; a stretch of lines outside the article is one record
    (a dump is mostly such stretches: menus, link lists, footers)."""
    drops: list[Drop] = []
    stretch: list[_Line] = []
    for line in lines:
        if line.reason == "outside_article":
            stretch.append(line)
            continue
        if stretch:
            drops.append(_stretch(stretch))
            stretch = []
        if line.reason is not None:
            drops.append(Drop("text", line.reason, line.text, line.index + 1))
    if stretch:
        drops.append(_stretch(stretch))
    return drops


def _stretch(lines: list[_Line]) -> Drop:
    first, last = lines[0], lines[-1]
    if len(lines) == 1:
        return Drop("text", "outside_article", first.text, first.index + 1)
    span = f"lines {first.index + 1}-{last.index + 1}: {first.text}"
    return Drop("text", "outside_article", span, first.index + 1)


def _cut_at_comments(lines: list[_Line], start: int, end: int) -> int:
    """Readers' comments follow the article: the run ends at their heading."""
    prose = 0
    for i in range(start, end + 1):
        line = lines[i]
        if line.reason == "comments" and prose >= 2:
            return i - 1
        prose += line.prose and line.reason is None
    return end


def _absorb(page: ExtractedPage, line: _Line) -> None:
    """Move what a dropped line carries (a date, a headline, tags) to its field."""
    if line.reason == "dateline" and page.published is None:
        page.published = find_date(line.text)
    elif line.reason == "related_link":
        page.related.append(RelatedLink(title=related_headline(line.text) or line.text))
    elif line.reason == "tags" and not page.tags:
        page.tags = tag_list(line.text) or []


def _standfirst(page: ExtractedPage, lines: list[_Line], kept: list[_Line]) -> None:
    """A one-sentence lead set off by the article header (caption, dateline) is the standfirst."""
    if len(kept) < 4:
        return
    first = kept[0]
    before = [line for line in lines if line.index < first.index]
    header = {"dateline", "caption", "byline"}
    if not before or before[-1].reason not in header:
        return
    if not _SENTENCE_BREAK.search(first.text) and first.words <= 40:
        page.description = first.text
        kept.pop(0)
        page.dropped.append(Drop("text", "standfirst", first.text[:120], first.index + 1))
