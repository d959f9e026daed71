"""One site's rules applied to one page: the hooks ``extract_html`` and ``clean_dump`` call.

Metadata rules read the page as served, before anything is removed, and
override what generic metadata found; the standfirst a ``description`` rule
points at leaves the body. ``drop`` rules remove elements before the generic
pre-clean sees the page, and a ``content`` rule makes the elements it selects
the whole page. ``drop_text`` patterns drop blocks (and dump lines) before
the noise rules judge them. Every rule leaves a ``RuleHit``, matched or not:
a rule that matches nothing changes nothing, and ``--explain`` says so.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract._text import outermost, squash
from scraper.extract.dates import parse_iso
from scraper.extract.metadata import Metadata
from scraper.extract.people import clean_authors
from scraper.models import Drop, RuleHit
from scraper.rules import METADATA_KEYS, RULE_KEYS, SiteRules, split_attr

SAMPLES = 3
SAMPLE_CHARS = 120
MAX_TAGS = 30
_HTML_ONLY = "not used on a text dump"
_FOLLOW_ONLY = "for listing pages in scheduled runs; not used on an article"


def _text(node: LexborNode) -> str:
    return squash(node.text(deep=True, separator=" ", strip=True))


def _samples(texts: list[str]) -> tuple[str, ...]:
    return tuple(t[:SAMPLE_CHARS] for t in texts[:SAMPLES] if t)


class RuleRun:
    """The rules of one site on one page, and what each of them did."""

    def __init__(self, rules: SiteRules) -> None:
        self.rules = rules
        self.dropped: list[Drop] = []
        self._hits: list[RuleHit] = []
        patterns = rules.drop_text_patterns
        self._text_counts = [0] * len(patterns)
        self._text_samples: list[list[str]] = [[] for _ in patterns]

    def on_page(self, tree: LexborHTMLParser, meta: Metadata, url: str | None) -> LexborHTMLParser:
        """Apply the element rules to ``tree`` and ``meta``; the tree to extract from."""
        standfirst = self._metadata(tree, meta, url)
        if standfirst is not None:
            self.dropped.append(Drop("preclean", "site_rule:description", _text(standfirst)[:120]))
            standfirst.decompose()
        for selector in self.rules.drop:
            nodes = outermost(tree.css(selector))
            texts = [_text(node) for node in nodes]
            for node, text in zip(nodes, texts, strict=True):
                self.dropped.append(Drop("preclean", "site_rule:drop", text[:120]))
                node.decompose()
            note = f"removed {len(nodes)}" if nodes else "matched nothing: nothing removed"
            self._hits.append(RuleHit("drop", selector, len(nodes), note, _samples(texts)))
        if self.rules.content:
            tree = self._content(tree, self.rules.content)
        return tree

    def drop_text(self, text: str) -> bool:
        """Whether a ``drop_text`` pattern drops this block or line (counted per pattern)."""
        for index, pattern in enumerate(self.rules.drop_text_patterns):
            if pattern.search(text):
                self._text_counts[index] += 1
                if len(self._text_samples[index]) < SAMPLES:
                    self._text_samples[index].append(text[:SAMPLE_CHARS])
                return True
        return False

    def hits(self, *, html: bool = True) -> list[RuleHit]:
        """Every rule of the site with what it did; on a text dump only ``drop_text`` acts."""
        hits = list(self._hits)
        if not html:
            hits = [RuleHit(key, rule, 0, _HTML_ONLY) for key, rule in self.rules.rules()]
            hits = [h for h in hits if h.key not in ("drop_text", "follow")]
        hits.extend(RuleHit("follow", p, 0, _FOLLOW_ONLY) for p in self.rules.follow)
        for index, pattern in enumerate(self.rules.drop_text):
            count = self._text_counts[index]
            note = f"dropped {count}" if count else "matched nothing: nothing dropped"
            hits.append(
                RuleHit("drop_text", pattern, count, note, tuple(self._text_samples[index]))
            )
        return sorted(hits, key=lambda hit: RULE_KEYS.index(hit.key))  # as a rule file lists them

    def _content(self, tree: LexborHTMLParser, selector: str) -> LexborHTMLParser:
        nodes = outermost(tree.css(selector))
        texts = [_text(node) for node in nodes]
        kept = sum(len(t) for t in texts)
        if not kept:
            what = "only empty elements" if nodes else "nothing"
            note = f"matched {what}: generic extraction"
            self._hits.append(RuleHit("content", selector, len(nodes), note))
            return tree
        outside = max(len(_text(tree.body)) - kept, 0) if tree.body is not None else 0
        self.dropped.append(
            Drop("preclean", "site_rule:content", f"{outside} characters outside {selector}")
        )
        note = f"the article is the {len(nodes)} element(s) selected"
        self._hits.append(RuleHit("content", selector, len(nodes), note, _samples(texts)))
        inner = "".join(node.html or "" for node in nodes)
        return LexborHTMLParser(f"<html><body><article>{inner}</article></body></html>")

    def _metadata(
        self, tree: LexborHTMLParser, meta: Metadata, url: str | None
    ) -> LexborNode | None:
        """Override ``meta`` from the metadata rules; the standfirst element, if one was read."""
        standfirst: LexborNode | None = None
        for key in METADATA_KEYS:
            rule: str | None = getattr(self.rules, key)
            if rule is None:
                continue
            css, attr = split_attr(rule)
            nodes = tree.css(css)
            raw = [squash(n.attributes.get(attr) or "") if attr else _text(n) for n in nodes]
            values = [v for v in raw if v]
            value: str | list[str] | None = None
            if key in ("published", "modified"):
                value = next((d for v in values if (d := parse_iso(v))), None)
            elif key == "authors":
                value = clean_authors(values, site_name=meta.site_name, url=url) or None
            elif key == "tags":
                value = list(dict.fromkeys(values))[:MAX_TAGS] or None
            elif values:
                value = values[0]
            if value is not None:
                setattr(meta, key, value)
                shown = repr(value)
                note = f"{key} = {shown if len(shown) <= 80 else shown[:79] + '…'}"
                if key == "description" and attr is None:
                    standfirst = next(n for n, v in zip(nodes, raw, strict=True) if v)
                    note += "; removed from the body"
            elif not nodes:
                note = "matched nothing: generic value kept"
            else:
                what = "a date" if key in ("published", "modified") else "a value"
                note = f"no {what} in the {len(nodes)} element(s) selected: generic value kept"
            self._hits.append(RuleHit(key, rule, len(nodes), note, _samples(values)))
        return standfirst
