"""Site rules on hand-built pages: where generic extraction goes wrong, a rule of three
lines or fewer fixes it; a rule that matches nothing changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper import api
from scraper.rules import SiteRules, load_rules
from tests.conftest import FIXTURES, PageFixture, assert_valid_record, page_fixtures

PAGES = FIXTURES / "rules"
URL = "https://www.example.org/news/story"


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


def rules_from(tmp_path: Path, toml: str) -> SiteRules:
    """A rule file as a user writes it, loaded the way the CLI and runs load it."""
    assert len(toml.strip().splitlines()) <= 4  # the table header and three lines at most
    (tmp_path / "example.org.toml").write_text(toml, encoding="utf-8")
    rules = load_rules(tmp_path).for_url(URL)
    assert rules is not None
    return rules


def test_a_drop_rule_removes_a_box_generic_extraction_keeps(tmp_path: Path) -> None:
    generic = api.extract(page("partner-box"), URL)
    assert "Coastline Holidays" in generic.body  # an advert in plain paragraphs

    rules = rules_from(tmp_path, '["example.org"]\ndrop = [".xb-unit"]\n')
    found = api.explain(page("partner-box"), URL, rules=rules)
    article = api.article_of(found)
    assert "Coastline Holidays" not in article.body
    assert article.body.startswith("The harbour ferry carried its first passengers")
    assert article.body.endswith("when the morning crossings are busiest.")
    assert article.word_count == generic.word_count - 29
    [dropped] = [d for d in found.page.dropped if d.reason == "site_rule:drop"]
    assert dropped.stage == "preclean" and dropped.detail.startswith("Our partners at Coastline")
    [hit] = found.page.site_rules
    assert (hit.key, hit.rule, hit.matched) == ("drop", ".xb-unit", 1)
    assert_valid_record(article.model_dump(mode="json"))


def test_rules_recover_a_lost_standfirst_a_date_in_an_attribute_and_drop_a_credit_line(
    tmp_path: Path,
) -> None:
    generic = api.extract(page("odd-standfirst"), URL)
    assert generic.description is None  # the standfirst sat in a "teaser" element
    assert generic.published is None  # the date is only in an attribute
    assert generic.body.startswith("Borrow a packet")  # read as the lede, not the summary

    rules = rules_from(
        tmp_path,
        """["example.org"]
description = ".teaser-block"
published = ".stamp@data-ts"
drop_text = ['^Written up by ']
""",
    )
    article = api.extract(page("odd-standfirst"), URL, rules=rules)
    assert article.description == (
        "Borrow a packet in spring, bring seeds back in autumn: "
        "the central library wants to keep old vegetable varieties alive."
    )
    assert article.published == "2024-04-02T10:15:00+02:00"
    assert article.body.startswith("The central library has turned")
    assert "Borrow a packet" not in article.body  # the standfirst left the body
    assert article.authors == ["Jane Roe"]  # generic metadata still does its part
    assert article.title == generic.title


def test_a_content_rule_reads_a_live_blog_and_leaves_the_letters_out(tmp_path: Path) -> None:
    generic = api.extract(page("live-blog"), URL)
    assert "Letters from readers" in generic.body

    rules = rules_from(tmp_path, '["example.org"]\ncontent = ".lb-post p"\n')
    found = api.explain(page("live-blog"), URL, rules=rules)
    article = api.article_of(found)
    assert article.body.split("\n\n") == [
        "Ferries between the islands are cancelled for the rest of the day, the operator says.",
        "Power is out in about 2,000 homes north of the river; crews are waiting for the wind"
        " to drop.",
        "Schools in the coastal districts will stay closed on Friday.",
        "The weather service has raised its warning to amber for the whole coast until midnight.",
    ]
    assert article.title == "Live: storm moves up the coast"  # metadata reads the whole page
    [hit] = found.page.site_rules
    assert (hit.key, hit.matched) == ("content", 4)
    assert any(d.reason == "site_rule:content" for d in found.page.dropped)


def test_metadata_rules_override_generic_values_and_read_attributes() -> None:
    rules = SiteRules(
        title=".body p",
        authors="h1",
        tags=".body p",
        section="meta[property='og:site_name']@content",
        modified="h1",
    )
    found = api.explain(page("odd-standfirst"), URL, rules=rules)
    article = api.article_of(found)
    assert article.title is not None and article.title.startswith("The central library")
    assert article.section == "Example Tribune"
    assert len(article.tags) == 3
    notes = {hit.key: hit.note for hit in found.page.site_rules}
    assert notes["modified"] == "no a date in the 1 element(s) selected: generic value kept"
    assert article.modified is None


NOTHING = SiteRules(
    domain="example.org",
    content=".no-such-container",
    drop=(".no-such-box", "#nowhere"),
    drop_text=("^No such line at all$",),
    title="h1.no-such-headline",
    description=".no-such-standfirst",
    authors=".no-such-byline a",
    published="time.no-such-time@datetime",
    section="meta[name=no-such-section]@content",
    tags=".no-such-tags a",
    follow=("/no-such-path/",),
)


@pytest.mark.parametrize("fixture", page_fixtures(), ids=lambda f: f.name)
def test_a_rule_that_matches_nothing_changes_nothing(fixture: PageFixture) -> None:
    html = fixture.html_path.read_bytes()
    url = fixture.url or URL
    generic = api.explain(html, url)
    ruled = api.explain(html, url, rules=NOTHING)
    assert ruled.article == generic.article  # None for the page that is not an article
    assert ruled.page.dropped == generic.page.dropped
    assert len(ruled.page.site_rules) == len(list(NOTHING.rules()))
    for hit in ruled.page.site_rules:
        assert hit.matched == 0
        assert "matched nothing" in hit.note or hit.key == "follow"
    assert not generic.page.site_rules


def test_without_rules_nothing_is_looked_up_or_recorded() -> None:
    found = api.explain(page("partner-box"), URL)
    assert found.rules is None and not found.page.site_rules
    assert api.site_rules(None, URL) is None


def test_a_rules_directory_or_book_is_matched_by_the_page_url(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('["example.org"]\ndrop = [".xb-unit"]\n', encoding="utf-8")
    book = load_rules(tmp_path)
    for rules in (book, tmp_path, str(tmp_path)):
        assert "Coastline" not in api.extract(page("partner-box"), URL, rules=rules).body
        other = api.extract(page("partner-box"), "https://example.net/x", rules=rules)
        assert "Coastline" in other.body
    assert "Coastline" in api.extract(page("partner-box"), rules=book).body  # no URL, no rules


DUMP = """Example Tribune | Home | News | Sport

Harbour ferry returns after winter repairs

The harbour ferry carried its first passengers of the season on Monday morning, three weeks
later than planned, after a winter in the dry dock at Port Lane where its engines were rebuilt.

Promoted: Coastline Holidays offers readers a week on the islands this spring, ferries included.

Operators said the delay came from a shortage of parts rather than any fault found during the
inspection, and that the timetable published in January would now apply from the first of April.

Commuters who rely on the crossing had spent the winter on a replacement bus that added forty
minutes to each journey, according to the passenger association, which welcomed the news.
""".replace("\n", " ").replace("  ", "\n\n")


def test_drop_text_rules_drop_lines_of_text_dumps_too() -> None:
    text = "\n".join(line.strip() for line in DUMP.split("\n\n"))
    generic = api.explain_text(text, URL)
    assert generic.article is not None and "Coastline" in generic.article.body

    rules = SiteRules(domain="example.org", drop_text=("^Promoted:",), drop=(".x",))
    found = api.explain_text(text, URL, rules=rules)
    article = api.article_of(found)
    assert "Coastline" not in article.body
    assert article.body.startswith("The harbour ferry carried")
    [dropped] = [d for d in found.page.dropped if d.reason == "site_rule:drop_text"]
    assert dropped.stage == "text" and dropped.position == 4  # line numbers from 1
    hits = {hit.key: hit for hit in found.page.site_rules}
    assert hits["drop_text"].matched == 1
    assert hits["drop"].note == "not used on a text dump"
