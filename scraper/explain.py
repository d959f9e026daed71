"""Plain-text reports for ``scraper extract --explain`` and ``scraper rules check``.

Why a line is missing from ``body`` is the first question a user asks of an
extractor; these reports answer it from the drop records extraction keeps
anyway (stage, reason, text), and say which site rules fired and which fell
back to the generic path. Formatting only: the CLI prints.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scraper.api import Explanation
from scraper.models import Drop, RuleHit
from scraper.rules import RuleBook

DETAIL_CHARS = 100


def _quote(text: str, limit: int = DETAIL_CHARS) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def rules_status(book: RuleBook | None, found: Explanation) -> str:
    """One line: which site rules applied to the page, or why none did."""
    url = found.page.url
    if found.rules is not None:
        return f"site rules: {found.rules.where}"
    if book is None:
        return "site rules: none (no rules directory; see --rules)"
    if not url:
        return "site rules: not looked up: the page has no URL (give --url)"
    host = urlsplit(url).hostname or url
    return f"site rules: none for {host} in {book.directory}"


def _hit_rows(hits: list[RuleHit], *, samples: bool) -> list[str]:
    key_width = max((len(h.key) for h in hits), default=0)
    rule_width = min(max((len(h.rule) for h in hits), default=0), 40)
    rows = []
    for hit in hits:
        rows.append(f"  {hit.key:<{key_width}}  {hit.rule:<{rule_width}}  {hit.note}")
        if samples:
            rows.extend(f"      {_quote(sample)}" for sample in hit.samples)
    return rows


def _drop_rows(dropped: list[Drop]) -> list[str]:
    stage_width = max((len(d.stage) for d in dropped), default=0)
    reason_width = max((len(d.reason) for d in dropped), default=0)
    rows = []
    for drop in dropped:
        where = f"#{drop.position}" if drop.position is not None else ""
        rows.append(
            f"  {drop.stage:<{stage_width}}  {drop.reason:<{reason_width}}  {where:>5}  "
            f"{_quote(drop.detail)}"
        )
    return rows


def explain_report(source: str, found: Explanation, status: str) -> list[str]:
    """What ``--explain`` prints on stderr for one input."""
    page = found.page
    lines = [f"explain: {source}" + (f" ({page.url})" if page.url and page.url != source else "")]
    lines.append(status)
    lines.extend(_hit_rows(page.site_rules, samples=False))
    lines.append(f"dropped: {len(page.dropped)} (stage, reason, block or line number, text)")
    lines.extend(_drop_rows(page.dropped))
    if found.article is None:
        lines.append("kept: nothing (no article text)")
    else:
        lines.append(
            f"kept: {len(page.paragraphs)} paragraphs, {found.article.word_count} words; "
            f"description {'set' if found.article.description else 'none'}"
        )
    return lines


def check_report(url: str | None, found: Explanation, follow: list[str] | None) -> list[str]:
    """What ``rules check --url/--file`` prints: every rule of the site, with what it selects."""
    rules = found.rules
    if rules is None:
        return []
    lines = [f"{url or 'the page'}: {rules.where}"]
    hits = [hit for hit in found.page.site_rules if hit.key != "follow"]
    lines.extend(_hit_rows(hits, samples=True))
    if follow is not None:
        for pattern in rules.follow:
            lines.append(f"  follow  {pattern}")
        lines.append(f"      {len(follow)} link(s) on this page would be followed")
        lines.extend(f"      {link}" for link in follow[:5])
    article = found.article
    lines.append(
        f"article: {article.title!r}, {article.word_count} words"
        if article is not None
        else "article: none (no article text)"
    )
    return lines
