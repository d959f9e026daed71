"""Text dumps: a page already flattened to text, cleaned with the same noise rules.

Lines are the unit, runs of lines the decision: the article is one dense run
of long, punctuated lines, and menus, link lists and footers cluster around
it. Each line is scored, the best-scoring contiguous run is the article, and
inside it the noise module drops what is still noise.

A dump has hundreds of lines and only those near the article need a close
look: the cheap features of all lines are columns (``_Lines``) built in one
pass, no object per line, and scores are integers (hundredths), so ties are
exact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import compress, groupby

from scraper.extract._text import squash
from scraper.extract.dates import find_date
from scraper.extract.media import split_credit
from scraper.extract.noise import (
    BULLET_CHARS,
    SENTENCE_END_CHARS,
    NoiseContext,
    classify,
    classify_words,
    related_headline,
    tag_list,
)
from scraper.extract.siterules import RuleRun
from scraper.models import Drop, ExtractedPage, Image, RelatedLink
from scraper.rules import SiteRules

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘]?[A-Z])")
# Scores in hundredths. A paragraph ends a sentence; a teaser's blurb or a list of names
# often does not (30%). Prose in another column than the article's counts for a fifth.
FINISHED, UNFINISHED, OFF_INDENT_DIVISOR = 100, 30, 5
_CARRIERS = frozenset({"dateline", "related_link", "tags"})
_MENU_KINDS = frozenset({"share_widget", "navigation", "label", "social_prompt"})
HEADER_LINES = 8  # lines above the article checked for its dateline, caption, standfirst
_CREDIT_LABEL = re.compile(r"\b(?:photo|image|picture|credit|foto|bild)s?\s*:|©", re.IGNORECASE)
# literal alternatives only: the regex engine then skips to their first characters
_CREDIT_MARK = re.compile(r"\||\(|©|/|credit|photo|Photo|PHOTO|Credit|CREDIT")
# What a line that is not prose costs the run, by its word count (it is under 20 words):
# in the article's column, and in another (list items are always in another: teaser lists).
_LINE = [-100 - 50 * min(n, 6) for n in range(20)]
_OFF_LINE = [-300 - 50 * min(n, 6) for n in range(20)]
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with", "vs", "via", "de", "la", "le", "el", "der", "die", "das", "und",
}  # fmt: skip


@dataclass(slots=True)
class _Lines:
    """The dump's non-blank lines, one list per feature, in dump order."""

    index: list[int]  # line number in the dump, from 0
    text: list[str]  # stripped, list marker removed, whitespace collapsed when it ran
    indent: list[int]
    words: list[int]
    weight: list[int]  # what the line counts for as article text; 0: not prose
    paragraph: list[int]  # the weight again, but 0 for a list item: not a paragraph
    aligned: list[int]  # its score in the article's column (a list item's: as if in another,
    off: list[int]  # teaser lists are common noise) and in another column
    reason: list[str | None]  # why the line goes; None: kept so far


def _parse(text: str) -> _Lines:
    """The lines' features in one pass (a plain loop: the fastest way through a dump)."""
    rows = []
    tabs, nbsp = "\t" in text, "\xa0" in text
    for number, raw in enumerate(text.splitlines()):
        if tabs and "\t" in raw:
            raw = raw.expandtabs(4)
        left = raw.lstrip()
        if not left:
            continue
        indent = len(raw) - len(left)
        line = left.rstrip()
        # "• Live", "* Facebook": a list marker and a space (not "-5 degrees")
        bullet = line[0] in BULLET_CHARS and line[1:2] in ("", " ")
        if bullet:
            line = line[1:].lstrip()
            if not line:
                continue
        if "  " in line or (nbsp and "\xa0" in line):
            line = squash(line)
        n = line.count(" ") + 1
        # prose: 20 words, or 8 ending a sentence (noise.is_prose, inlined: this is the hot path)
        if n < 8 or (n < 20 and line[-1] not in SENTENCE_END_CHARS):
            off = _OFF_LINE[n]
            if bullet:  # a short list item is a menu's
                menu = "menu_item" if n <= 6 else None
                rows.append((number, line, indent, n, 0, 0, off, off, menu))
            else:
                rows.append((number, line, indent, n, 0, 0, _LINE[n], off, None))
        else:
            weight = FINISHED * n if line[-1] in SENTENCE_END_CHARS else UNFINISHED * n
            off = weight // OFF_INDENT_DIVISOR
            if bullet:
                rows.append((number, line, indent, n, weight, 0, off, off, None))
            else:
                rows.append((number, line, indent, n, weight, weight, weight, off, None))
    columns = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in range(9)]
    return _Lines(*columns)


def _title_cased(text: str) -> bool:
    """'France Backs Venezuela Dialogue, Opposes EU Sanctions': a headline, not a sentence."""
    words = [w.strip("\"'“”‘’(),:") for w in text.split()]
    content = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if len(content) < 3:
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.75


def _article_indent(lines: _Lines) -> int | None:
    """The indentation the article's paragraphs share.

    Per column, the best run of prose where every other line of that column (a
    headline, a date, a link) counts against it: an article is paragraphs after
    paragraphs, a list of teasers alternates headlines and blurbs. Only columns
    holding prose can win, so only their lines are looked at.
    """
    indents, paragraph, reason, words = lines.indent, lines.paragraph, lines.reason, lines.words
    columns = set(compress(indents, paragraph))
    current: dict[int, int] = dict.fromkeys(columns, 0)
    best: dict[int, int] = {}
    for i in compress(range(len(indents)), map(columns.__contains__, indents)):
        indent = indents[i]
        if paragraph[i] and reason[i] is None:
            score = current[indent] + paragraph[i]
            if score > best.get(indent, 0):
                best[indent] = score
        else:
            score = current[indent] - 100 * (words[i] + 3)
            if score < 0:
                score = 0
        current[indent] = score
    return max(best, key=best.__getitem__) if best else None


def _best_run(lines: _Lines, indent: int | None) -> tuple[int, int]:
    """Maximum-sum contiguous run of line scores (Kadane); (start, end) inclusive."""
    reason, aligned = lines.reason, lines.aligned
    if indent is None:
        scores = [-300 if why is not None else a for why, a in zip(reason, aligned, strict=True)]
    else:
        scores = [
            -300 if why is not None else a if at == indent else o
            for why, a, o, at in zip(reason, aligned, lines.off, lines.indent, strict=True)
        ]
    best, best_span = -1 << 62, (0, -1)
    current, start = 0, 0
    for i, score in enumerate(scores):
        if current <= 0:
            current, start = score, i
        else:
            current += score
        if current > best:
            best, best_span = current, (start, i)
    return best_span


def _captions(lines: _Lines, window: list[int], ctx: NoiseContext) -> list[Image]:
    """A caption printed twice, once with its credit: the image's caption and credit."""
    images: list[Image] = []
    texts, words = lines.text, lines.words
    keys = {texts[pos] for pos in window}
    for pos in window:
        text = texts[pos]
        if words[pos] > 40 or not _CREDIT_MARK.search(text):
            continue
        caption, credit = split_credit(text)
        if credit is None or caption == text:
            continue
        if caption not in keys and not _CREDIT_LABEL.search(text):
            continue  # a sentence ending "(Reuters)" is not a caption without its twin
        ctx.add_caption(caption)
        images.append(Image(caption=caption, credit=credit))
    return images


def _mark(lines: _Lines, run: RuleRun | None) -> None:
    """What the lines say on their own, besides being a short list item (``_parse`` saw
    that): a site rule's pattern, a repeat."""
    texts, reason = lines.text, lines.reason
    if run is not None:
        for i, text in enumerate(texts):
            if run.drop_text(text):
                reason[i] = "site_rule:drop_text"
    counts = Counter(texts)
    if len(counts) == len(texts):
        return
    repeated = map((1).__lt__, map(counts.__getitem__, texts))
    for i in compress(range(len(texts)), repeated):
        if reason[i] is None and not lines.paragraph[i]:
            reason[i] = "repeated_line"  # a ticker or menu printed twice


def _find_article(
    lines: _Lines, page: ExtractedPage, ctx: NoiseContext, reasons: bool
) -> tuple[int, int, int | None]:
    """The article's run (start, end) and column, judging with the noise rules only the lines
    near it: most of a dump is menus and link lists that need no closer look."""
    texts, reason, weight, words = lines.text, lines.reason, lines.weight, lines.words
    judged: set[int] = set()
    indent = _article_indent(lines)
    start, end = _best_run(lines, indent)
    for _ in range(3):
        lo, hi = max(start - HEADER_LINES, 0), min(end + 5, len(texts) - 1)
        window = [pos for pos in range(lo, hi + 1) if pos not in judged]
        judged.update(window)
        page.images.extend(_captions(lines, window, ctx))
        noise_in_run = prose_noise = False
        for pos in window:
            why = reason[pos]
            if why is None:
                text = texts[pos]
                # parsed lines are stripped and counted, unless another list marker leads
                why = reason[pos] = (
                    classify(text, ctx)
                    if text[0] in BULLET_CHARS
                    else classify_words(text, words[pos], ctx)
                )
                if why is not None:
                    noise_in_run |= start <= pos <= end
                    prose_noise |= weight[pos] > 0
            elif why == "menu_item" and reasons:
                # near the article, say what kind of item it is (share label, nav link, ...);
                # only said, never weighed: the run and the standfirst look past menu items
                kind = classify(texts[pos], ctx)
                reason[pos] = kind if kind in _MENU_KINDS else "menu_item"
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
    return start, _cut_at_comments(lines, start, end), indent


def clean_dump(
    text: str, url: str | None = None, rules: SiteRules | None = None, *, reasons: bool = True
) -> ExtractedPage:
    """The article in a text dump; a site's ``drop_text`` rules drop lines before all else.

    With ``reasons``, ``page.dropped`` says why each line went (``--explain``); a caller
    that wants the article only saves building a hundred records a dump.
    """
    page = ExtractedPage(url=url)
    run = RuleRun(rules) if rules is not None else None
    lines = _parse(text)
    _mark(lines, run)
    ctx = NoiseContext()
    start, end, indent = _find_article(lines, page, ctx, reasons)
    texts, reason = lines.text, lines.reason
    kept: list[int] = []
    seen: set[str] = set()
    for i in range(start, end + 1):
        if reason[i] is not None or lines.weight[i]:
            continue
        if indent is not None and lines.indent[i] != indent:
            reason[i] = "off_column"
        elif lines.words[i] >= 4 and _title_cased(texts[i]):
            reason[i] = "related_link"
    for i in range(start, end + 1):
        if reason[i] is None:
            if texts[i] not in seen:
                kept.append(i)
                seen.add(texts[i])
            else:
                reason[i] = "duplicate"
    for i in compress(range(len(texts)), map(_CARRIERS.__contains__, reason)):
        _absorb(page, reason[i], texts[i], ctx)
    if reasons:
        reason[:start] = [why or "outside_article" for why in reason[:start]]
        reason[end + 1 :] = [why or "outside_article" for why in reason[end + 1 :]]
        page.dropped.extend(_drops(lines))
    _standfirst(page, lines, kept, reasons)
    page.paragraphs = [texts[i] for i in kept]
    if run is not None:
        page.site_rules = run.hits(html=False)
    return page


def _drop(fields: tuple[str, str, str, int]) -> Drop:
    """A Drop without the named tuple's keyword-argument handling (a dump drops ~100 lines)."""
    return tuple.__new__(Drop, fields)


def _drops(lines: _Lines) -> list[Drop]:
    """A record per dropped line; a stretch of lines outside the article is one record
    (a dump is mostly such stretches: menus, link lists, footers)."""
    drops: list[Drop] = []
    texts, index = lines.text, lines.index
    for why, group in groupby(range(len(texts)), lines.reason.__getitem__):
        if why is None:
            continue
        if why == "outside_article":
            stretch = list(group)
            first, last = stretch[0], stretch[-1]
            detail = texts[first]
            if last != first:
                detail = f"lines {index[first] + 1}-{index[last] + 1}: {detail}"
            drops.append(_drop(("text", why, detail, index[first] + 1)))
        else:
            drops += [_drop(("text", why, texts[i], index[i] + 1)) for i in group]
    return drops


def _cut_at_comments(lines: _Lines, start: int, end: int) -> int:
    """Readers' comments follow the article: the run ends at their heading."""
    prose = 0
    for i in range(start, end + 1):
        why = lines.reason[i]
        if why == "comments" and prose >= 2:
            return i - 1
        prose += lines.weight[i] > 0 and why is None
    return end


def _absorb(page: ExtractedPage, reason: str | None, text: str, ctx: NoiseContext) -> None:
    """Move what a dropped line carries (a date, a headline, tags) to its field."""
    if reason == "dateline" and page.published is None:
        page.published = ctx.dates.get(text) or find_date(text)
    elif reason == "related_link":
        page.related.append(RelatedLink(title=related_headline(text) or text))
    elif reason == "tags" and not page.tags:
        page.tags = tag_list(text) or []


def _standfirst(page: ExtractedPage, lines: _Lines, kept: list[int], reasons: bool) -> None:
    """A one-sentence lead set off by the article header (caption, dateline) is the standfirst."""
    if len(kept) < 4:
        return
    first = kept[0]
    if first == 0 or lines.reason[first - 1] not in {"dateline", "caption", "byline"}:
        return
    text = lines.text[first]
    if _SENTENCE_BREAK.search(text) or lines.words[first] > 40:
        return
    page.description = text
    kept.pop(0)
    if reasons:
        page.dropped.append(Drop("text", "standfirst", text[:120], lines.index[first] + 1))
