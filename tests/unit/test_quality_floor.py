"""A quick guard on extraction quality: a slice of the development benchmark must stay
above a floor. The full figures come from bench/ (these are not timed and not tuned to)."""

from __future__ import annotations

import sys

import pytest

import scraper
from tests.conftest import REPO, SHARED_BENCH

AEB = SHARED_BENCH / "aeb-dev"
TRAF = SHARED_BENCH / "traf-dev"
pytestmark = pytest.mark.skipif(
    not (AEB / "ground-truth.json").exists(), reason="../shared/bench is not beside the repo"
)
PAGES = 24  # a slice keeps the suite fast; bench/ measures the whole split
SNIPPET_PAGES = 60


@pytest.fixture(scope="module")
def metrics():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import metrics as module
    finally:
        sys.path.pop(0)
    return module


def test_html_body_f1_stays_above_the_floor(metrics) -> None:  # type: ignore[no-untyped-def]
    pages = metrics.load_aeb(AEB, limit=PAGES)
    counts = [
        metrics.shingle_counts(page.truth, scraper.extract(page.html, url=page.url).body)
        for page in pages
    ]
    assert metrics.shingle_score(counts).f1 >= 0.975  # 0.983 when set


@pytest.mark.skipif(not (TRAF / "evaldata.json").exists(), reason="no traf-dev beside the repo")
def test_snippet_f1_stays_above_the_floor(metrics) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for page in metrics.load_trafdev(TRAF, limit=SNIPPET_PAGES):
        try:
            body = scraper.extract(page.html, url=page.url).body
        except scraper.ScraperError:
            body = ""
        counts.append(metrics.snippet_counts(body, page.with_, page.without))
    assert metrics.snippet_score(counts).f1 >= 0.93  # 0.946 when set


def test_text_dump_f1_stays_above_the_floor(metrics) -> None:  # type: ignore[no-untyped-def]
    pages = metrics.load_aeb(AEB, limit=PAGES, html=False, text=True)
    counts = []
    for page in pages:
        try:
            body = scraper.clean_text(page.text, url=page.url).body
        except scraper.ScraperError:
            body = ""
        counts.append(metrics.shingle_counts(page.truth, body))
    assert metrics.shingle_score(counts).f1 >= 0.90
