"""The sample dump that started the project, cleaned exactly as its README says."""

from __future__ import annotations

import pytest

import scraper
from tests.conftest import REPO

DUMP = (REPO / "scraper" / "samples" / "noisy-article.txt").read_text(encoding="utf-8")
FIRST = "The United States will not recognize Venezuela’s National Constituent Assembly"
LAST = "can stop this Constituent Assembly power.”"
CAPTION = (
    "A woman casts her vote at a polling station during the National Constituent Assembly "
    "election in Caracas, Venezuela, on July 30, 2017."
)


@pytest.fixture(scope="module")
def article() -> scraper.Article:
    return scraper.clean_text(DUMP)


def test_body_is_the_fourteen_paragraphs_in_order(article: scraper.Article) -> None:
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 14
    assert paragraphs[0].startswith(FIRST)
    assert paragraphs[-1].endswith(LAST)
    assert len(set(paragraphs)) == 14
    source_lines = [line.strip() for line in DUMP.splitlines()]
    positions = [source_lines.index(p) for p in paragraphs]
    assert positions == sorted(positions), "paragraphs out of order"


@pytest.mark.parametrize(
    "noise",
    [
        "Live",
        "Audio Only",
        "google plus",
        "facebook",
        "twitter",
        "Photo: Reuters",
        "Published 4 August 2017",
        "It’s the latest action",
        "France Backs Venezuela Dialogue",
        "Prepare to Take Seats",
        "Post with no comments",
        "A woman casts her vote",
    ],
)
def test_no_noise_left_in_body(article: scraper.Article, noise: str) -> None:
    assert noise not in article.body


def test_noise_moved_to_its_fields(article: scraper.Article) -> None:
    assert article.published == "2017-08-04"
    assert article.description == (
        "It’s the latest action from the U.S. government aimed at tarnishing the legal and "
        "democratic National Constituent Assembly vote."
    )
    assert len(article.images) == 1
    assert article.images[0].caption == CAPTION
    assert article.images[0].credit == "Reuters"
    assert [(r.title, r.url) for r in article.related] == [
        ("France Backs Venezuela Dialogue, Opposes EU Sanctions", None),
        ("Venezuela's Constituent Assembly Members Prepare to Take Seats", None),
    ]


def test_quotes_are_kept_as_published(article: scraper.Article) -> None:
    assert "“rigged from the start”" in article.body
    assert 'calling it "the illegitimate product of a flawed process."' in article.body


def test_html_page_and_dump_give_the_same_body(article: scraper.Article) -> None:
    html = (
        REPO / "tests" / "fixtures" / "html" / "telesur-example__us-venezuela-assembly.html"
    ).read_bytes()
    from_html = scraper.extract(html)
    assert from_html.body == article.body
    assert from_html.content_hash == article.content_hash
