"""HTML page in, ExtractedPage out: pre-clean, main content, noise filter, metadata."""

from __future__ import annotations

import re
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.errors import NotHTMLError
from scraper.extract._text import fold, squash
from scraper.extract.blocks import blocks_above, dom_blocks
from scraper.extract.content import Block, extract_blocks
from scraper.extract.dates import find_date
from scraper.extract.metadata import Metadata, extract_metadata
from scraper.extract.noise import (
    NoiseContext,
    classify,
    is_link_list,
    is_prose,
    related_headline,
    tag_list,
    words,
)
from scraper.extract.preclean import Harvest, preclean
from scraper.extract.siterules import RuleRun
from scraper.models import Drop, ExtractedPage, Image, RelatedLink
from scraper.rules import SiteRules

__all__ = ["extract_html", "filter_blocks"]

LEAD_WORDS = 3
MAX_KICKERS = 3
SHORT_CHARS_PER_WORD = 12
SHORT_SHARE = 0.5
LINK_DENSITY = 0.8  # a short block that is (nearly) all link is a headline pointing elsewhere
LINK_WORDS = 20
AUTHOR_BIO_WORDS = 80
LEDE_LINK_DENSITY = 0.2  # a lede may cite a source; a teaser is mostly its link
_PHOTO_CREDIT = re.compile(r"\((?:photo|foto|bild|image|credit)s?\s*:", re.IGNORECASE)
_QUOTE_MARKS = frozenset("“\"„«»‘'")
# How a bio goes on after the name, in the languages of the noise vocabulary.
_BIO_VERBS = frozenset(
    """is was has covers writes reports leads heads joined studied works edits ist war hat
    leitet schreibt berichtet arbeitet studierte volontierte verantwortet est a écrit dirige
    travaille es escribe trabaja dirige è scrive lavora jest pisze""".split()  # noqa: SIM905
)
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+$")
_LOOKS_LIKE_HTML = ("<html", "<!doctype", "<head", "<body", "<div", "<p", "<article", "<meta")


def _check_html(html: str) -> None:
    head = html[:2048].lstrip().lower()
    if not head.startswith("<") and not any(
        tag in html[:65536].lower() for tag in _LOOKS_LIKE_HTML
    ):
        raise NotHTMLError("not HTML: no markup found")


def filter_blocks(
    blocks: list[Block],
    ctx: NoiseContext,
    page: ExtractedPage,
    drop_text: Callable[[str], bool] | None = None,
) -> list[str]:
    """Keep article text; move what noise carries (dates, related links, tags) to ``page``.

    ``drop_text`` is a site's own say (its ``drop_text`` rules), heard before the noise rules.
    """
    kept: list[Block] = []
    title_key = fold(page.title) if page.title else ""
    description_key = fold(page.description) if page.description else ""
    for index, block in enumerate(blocks):
        text = block.text
        if drop_text is not None and drop_text(text):
            reason: str | None = "site_rule:drop_text"
        else:
            reason = classify(text, ctx)
        if reason is None and block.kind != "cell" and is_link_list(text):
            reason = "link_list"
        if (
            reason is None
            and block.link_density >= LINK_DENSITY
            and block.kind in ("p", "head")
            and words(text) <= LINK_WORDS
            and not _BARE_URL.match(text)  # an address written out is a source cited
        ):
            reason = "link_block"
            if words(text) >= 4:  # a headline; two words are a name or a label
                page.related.append(RelatedLink(title=text))
        if reason is None and _same_as(text, title_key):
            reason = "title"
        if reason is None and page.authors and (bio := _about_author(text, page.authors)):
            reason = bio
        if (
            # a subtitle heading that repeats the summary is the standfirst; a first
            # paragraph that does is the lede (sites copy it into their summary)
            reason is None
            and block.kind == "head"
            and not any(is_prose(b.text) for b in kept)
            and _same_as(text, description_key)
        ):
            reason = "standfirst"
        if reason is None and kept and text == kept[-1].text:
            # a block printed twice in a row is a template's glitch; further apart, the
            # same words are a plan, a recipe or a refrain, repeated on purpose
            reason = "duplicate"
        if reason is None:
            kept.append(block)
            continue
        if reason == "dateline" and page.published is None:
            # classify read the date already; a bulleted or relative dateline was not kept
            page.published = ctx.dates.get(text) or find_date(text)
        elif reason == "related_link" and (headline := related_headline(text)):
            page.related.append(RelatedLink(title=headline))
        elif reason == "tags" and not page.tags and (tags := tag_list(text)):
            page.tags = tags
        page.dropped.append(Drop("noise", reason, text[:120], index))
    return [b.text for b in _trim_edges(kept, page)]


def _about_author(text: str, authors: list[str]) -> str | None:
    """The author's name alone is a byline; a short text that opens with it and goes on
    to say who they are ("Jane Roe covers ...", "Jane Roe leitet ...") is their bio. What
    the author said ("Jane Roe said") may be quoted in the story: only a bio's verbs count."""
    for name in authors:
        if " " not in name or not text.startswith(name):
            continue
        rest = text[len(name) :].split(None, 1)
        if not rest or not rest[0].strip(".,;:|"):
            return "byline"
        if rest[0] in _BIO_VERBS and words(text) <= AUTHOR_BIO_WORDS:
            return "author_bio"
    return None


def _same_as(text: str, key: str) -> bool:
    """Folded equality, tried only when the lengths allow it (folding is not free)."""
    return bool(key) and len(key) <= len(text) <= 2 * len(key) + 20 and fold(text) == key


def _short(text: str, most_words: int) -> bool:
    """Few words and few characters: a sentence of Chinese or Japanese has no spaces."""
    return words(text) <= most_words and len(text) <= SHORT_CHARS_PER_WORD * most_words


def _trim_edges(kept: list[Block], page: ExtractedPage) -> list[Block]:
    """Short lines before the first sentence or in a run after the last are page furniture."""
    # a headline that links elsewhere may read as a sentence; it is not the story's
    prose = [i for i, b in enumerate(kept) if is_prose(b.text) and b.link_density < LINK_DENSITY]
    if not prose:
        return kept
    first, last = prose[0], prose[-1]
    # a kicker or a section's name may be set as a heading ("Press releases"); a line
    # ending in a comma opens the story ("Dear readers,"); a kicker stands alone
    lead = [
        b
        for b in kept[:first]
        if b.kind in ("p", "head") and _short(b.text, LEAD_WORDS) and not b.text.endswith(",")
    ]
    if len(lead) > MAX_KICKERS:
        lead = []  # a kicker is a word or two over the headline; a run of short lines is a list
    tail = kept[last + 1 :]
    drop_tail = len(tail) >= 3 and all(_short(b.text, 6) and not is_prose(b.text) for b in tail)
    kickers = {id(b) for b in lead}
    dropped = kickers | ({id(b) for b in tail} if drop_tail else set())
    dropped |= _linked_list(tail)
    orphans = _orphan_headings([b for b in tail if id(b) not in dropped])
    dropped |= orphans
    for b in kept:
        if id(b) in dropped:
            reason = "trailing_links"
            if id(b) in kickers:  # by identity: a block equal to a kicker may end the story
                reason = "kicker"
            elif id(b) in orphans:
                reason = "orphan_heading"
            page.dropped.append(Drop("noise", reason, b.text[:120]))
    return [b for b in kept if id(b) not in dropped]


def _orphan_headings(tail: list[Block]) -> set[int]:
    """After the story's last sentence, headings or labels ("Sources:") with nothing
    under them to the page's end: what they introduced (a teaser row, a contact box,
    a link list) was noise and is gone already."""
    out: set[int] = set()
    for b in reversed(tail):
        if not (b.kind == "head" or (b.text.endswith(":") and _short(b.text, 8))):
            break
        out.add(id(b))
    return out


def _linked_list(tail: list[Block]) -> set[int]:
    """After the story's last sentence, list items that are all link are "more on this"
    headlines, with the label that introduces them ("More information:")."""
    linked = [i for i, b in enumerate(tail) if b.kind == "item" and b.link_density >= LINK_DENSITY]
    if len(linked) < 2:
        return set()
    out = {id(tail[i]) for i in linked}
    label = linked[0] - 1
    if label >= 0 and tail[label].text.endswith(":") and _short(tail[label].text, 8):
        out.add(id(tail[label]))
    return out


def _main_blocks(tree: LexborHTMLParser, harvest: Harvest) -> list[Block]:
    """The article's blocks, by the cheapest route that the page allows.

    Plain story text is walked directly; otherwise trafilatura's fast mode runs
    on the content root. When that finds much less text than the root holds,
    or when no container stands out (the root is the whole body), its full mode
    (with its fallback extractors) gets the whole cleaned page: fast mode's first
    guess is often a teaser list there, or misses text set with line breaks.
    """
    root = harvest.root
    if harvest.story is not None:
        return [b for node in [*harvest.lead, harvest.story] for b in dom_blocks(node)]
    if root is None or root.tag == "body":
        return _with_lede_above(extract_blocks(tree.html or "", fast=False), tree.body)
    blocks = extract_blocks(f"<html><body>{root.html}</body></html>")
    found = sum(len(b.text) for b in blocks)
    if found < SHORT_SHARE * harvest.root_prose:
        fuller = extract_blocks(tree.html or "", fast=False)
        if sum(len(b.text) for b in fuller) > found:
            blocks = fuller
    return _with_prose_above(_with_lead(harvest.lead, blocks, root), root)


def _with_prose_above(blocks: list[Block], root: LexborNode) -> list[Block]:
    """Prose of the content root set above the extractor's first block: a lede apart
    from the body's own container (in the article's header, an intro module), which
    fast mode does not score. Read only up to that block."""
    if not blocks:
        return blocks
    above = blocks_above(root, blocks[0].text)
    if not above:
        return blocks
    have = " ".join(b.text for b in blocks)
    return [b for b in above if _lede_like(b, have)] + blocks


def _with_lede_above(blocks: list[Block], body: LexborNode | None) -> list[Block]:
    """With no container to go by, the last paragraph of prose above the extractor's first
    block and below the page's first heading (a date or a byline may sit between): the
    lede its scoring passed over. Only that one: higher up, a page holds teasers, pull
    quotes and other stories."""
    if not blocks or body is None:
        return blocks
    above = blocks_above(body, blocks[0].text) or []
    heading = next((i for i, b in enumerate(above) if b.kind == "head"), None)
    if heading is None:
        return blocks
    have = " ".join(b.text for b in blocks)
    prose = [b for b in above[heading + 1 :] if is_prose(b.text)]
    lede = prose[-1] if prose else None
    if (
        lede is not None
        and lede.kind == "p"
        and _lede_like(lede, have)
        and lede.text[0] not in _QUOTE_MARKS  # a pull quote
        and "©" not in lede.text
    ):
        return [lede, *blocks]
    return blocks


def _lede_like(block: Block, have: str) -> bool:
    """A paragraph of prose, not a link's teaser, not one the extractor kept already."""
    return (
        is_prose(block.text)
        and block.link_density < LEDE_LINK_DENSITY
        and not block.text.endswith(("...", "…"))  # cut short: another story's teaser
        and not _PHOTO_CREDIT.search(block.text)  # "(Photo: Getty)": a picture's teaser
        and block.text not in have
    )


def _with_lead(lead: list[LexborNode], blocks: list[Block], root: LexborNode) -> list[Block]:
    """The ledes the extractor passed over, then its blocks: extractors keep to the body's
    own container and drop what is named like a teaser or a summary. A lede is above the
    story: a summary set after its start belongs to a teaser or an author box."""
    if not lead or not blocks:
        return blocks
    have = " ".join(b.text for b in blocks)
    text = squash(root.text(deep=True, separator=" "))
    start = text.find(blocks[0].text)
    extra = [
        b
        for node in lead
        for b in dom_blocks(node)
        if b.text not in have and text.find(b.text) < max(start, 0)
    ]
    return extra + blocks


def extract_html(
    html: str, url: str | None = None, rules: SiteRules | None = None
) -> ExtractedPage:
    """The article of one page; ``rules``, the site's own rules, go before the generic steps."""
    _check_html(html)
    tree = LexborHTMLParser(html)
    meta: Metadata = extract_metadata(tree, url)
    run = RuleRun(rules) if rules is not None else None
    if run is not None:
        tree = run.on_page(tree, meta, url)
    harvest = preclean(tree, url, description=meta.description)
    blocks = _main_blocks(tree, harvest)

    page = ExtractedPage(
        url=url,
        canonical_url=meta.canonical_url,
        site_name=meta.site_name,
        title=meta.title,
        description=meta.description,
        authors=meta.authors,
        published=meta.published,
        modified=meta.modified,
        language=meta.language,
        section=meta.section,
        tags=meta.tags,
        related=harvest.related,
        dropped=harvest.dropped,
    )
    ctx = NoiseContext(title=meta.title)
    for caption in harvest.captions:
        ctx.add_caption(caption)
    if run is None:
        page.paragraphs = filter_blocks(blocks, ctx, page)
    else:
        page.dropped[:0] = run.dropped
        page.paragraphs = filter_blocks(blocks, ctx, page, run.drop_text)
        page.site_rules = run.hits()
    images = harvest.images
    if meta.image and not any(img.url == meta.image for img in images):
        # og:image is the lead image; a figure already found keeps its caption.
        if not images:
            images.append(Image(url=meta.image))
        elif images[0].url is None:
            images[0] = images[0].model_copy(update={"url": meta.image})
    page.images = images[:50]
    return page
