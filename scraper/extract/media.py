"""Images with their captions and credits, split the way an archive wants them."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import ftfy
from ftfy.badness import is_bad
from selectolax.lexbor import LexborNode

from scraper.extract._text import squash
from scraper.models import Image

_CREDIT_TAIL = re.compile(
    r"\s*(?:[|–—\-]\s*)?[(\[]?\s*(?:(?:photo|photograph|image|picture|pic|foto|bild|credit|"
    r"source|quelle|illustration|graphic)s?(?:\s+credit)?\s*[:/]|©|\(c\))\s*"
    r"(?P<credit>[^()\[\]|]{1,80}?)\s*[)\]]?\s*\.?$",
    re.IGNORECASE,
)
_AGENCY_TAIL = re.compile(
    r"\s*[(\[]\s*(?P<credit>(?:getty images|ap photo|ap|afp|reuters|epa|dpa|efe|anadolu|"
    r"shutterstock|alamy|xinhua|pa|pa wire|bloomberg)[^()\[\]]{0,60})\s*[)\]]\s*\.?$",
    re.IGNORECASE,
)
_AGENCY_SLASH = re.compile(r"\s+(?P<credit>(?:REUTERS|AFP|AP|EPA|GETTY IMAGES)/[\w .'-]{2,40})$")
# A credit names a source or an agency; a line without one of these words has none.
_CREDIT_WORDS = frozenset(
    """photo photos photograph image images picture pic foto fotos bild quelle credit credits
    source illustration graphic getty ap afp reuters epa dpa efe anadolu shutterstock alamy
    xinhua pa bloomberg c""".split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[^\W\d_]+")
_SRC_ATTRS = ("src", "data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")


def split_credit(text: str) -> tuple[str, str | None]:
    """'A vote in Caracas. | Photo: Reuters' -> ('A vote in Caracas.', 'Reuters').

    ``text`` is whitespace-collapsed already.
    """
    if "©" not in text and _CREDIT_WORDS.isdisjoint(_TOKEN.findall(text.lower())):
        return text, None
    for pattern in (_CREDIT_TAIL, _AGENCY_TAIL, _AGENCY_SLASH):
        match = pattern.search(text)
        if match:
            credit = match["credit"].strip(" .,;")
            caption = text[: match.start()].rstrip(" |–—-")
            if credit:
                return caption, credit
    return text, None


def image_url(node: LexborNode, base: str | None) -> str | None:
    attrs = node.attributes
    raw = next((attrs[a] for a in _SRC_ATTRS if attrs.get(a)), None)
    if not raw or raw.startswith("data:"):
        srcset = attrs.get("srcset") or attrs.get("data-srcset")
        raw = srcset.split(",")[0].split()[0] if srcset and srcset.strip() else None
    if not raw or raw.startswith("data:"):
        return None
    raw = raw.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    url = urljoin(base, raw) if base else raw
    return url if urlsplit(url).scheme in ("http", "https") or not base else None


def figure_image(figure: LexborNode, base: str | None) -> Image | None:
    """One <figure> (or captioned image wrapper) as an Image; None when it holds nothing."""
    img = figure.css_first("img, amp-img")
    url = image_url(img, base) if img is not None else None
    caption_node = figure.css_first("figcaption") or figure.css_first(
        '[class*="caption"], [itemprop="caption"]'
    )
    caption: str | None = None
    credit: str | None = None
    if caption_node is not None:
        credit_node = caption_node.css_first(
            '[class*="credit"], [class*="copyright"], [itemprop="copyrightHolder"]'
        )
        if credit_node is not None:
            credit = squash(credit_node.text(deep=True, separator=" ", strip=True)) or None
            credit_node.decompose()
        caption = squash(caption_node.text(deep=True, separator=" ", strip=True)) or None
        if caption and is_bad(caption):
            caption = ftfy.fix_text(caption)  # before "Ã©" can pass for a "©" credit
    if credit is None:
        credit_node = figure.css_first('[class*="credit"], [class*="copyright"]')
        if credit_node is not None:
            credit = squash(credit_node.text(deep=True, separator=" ", strip=True)) or None
    if caption:
        caption, tail_credit = split_credit(caption)
        credit = credit or tail_credit
    if credit:
        credit = re.sub(
            r"^(?:photo(?:graph)?|image|picture|illustration|credit|foto|bild|source)s?\s*"
            r"(?:[:/]|\.{2,}|…)\s*|^©\s*",
            "",
            credit,
            flags=re.IGNORECASE,
        ).strip(" ()[]")
    if caption is None and img is not None:
        alt = (img.attributes.get("alt") or "").strip()
        caption = squash(alt) if len(alt.split()) >= 3 else None
    if url is None and caption is None:
        return None
    return Image(url=url, caption=caption or None, credit=credit or None)
