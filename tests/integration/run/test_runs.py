"""Whole scheduled runs against the loopback gazette: what a cron user sees from run to run."""

from __future__ import annotations

from pathlib import Path

from scraper.config import Config, load_config
from scraper.pipeline import run
from tests.conftest import assert_valid_record
from tests.integration.run.conftest import (
    Gazette,
    article_lines,
    articles,
    rejects,
    write_config,
)
from tests.integration.run.site import Site, article_html

DOCUMENTS = [
    "/rss.xml",
    "/atom.xml",
    "/world/",
    "/sitemap_index.xml",
    "/sitemaps/news.xml",
    "/sitemaps/pages.xml.gz",
]


def test_first_run_collects_every_article_once(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    stats = run(config, data_dir)

    records = articles(data_dir)
    expected = {site.url(gazette.path(slug)) for slug in gazette.titles}
    assert {r["url"] for r in records} == expected  # no utm_ parameters, every source read
    assert len(records) == len(expected) == len({r["id"] for r in records})
    for record in records:
        assert_valid_record(record)
        assert record["source"] == "gazette"
        assert record["version"] == 1
        assert record["fetched_at"]
    assert (stats.found, stats.new, stats.failed) == (9, 8, 0)
    assert stats.dropped == 1  # the video link, excluded by the source's filter
    [excluded] = rejects(data_dir)
    assert excluded["url"] == site.url("/video/clip-1")
    assert (excluded["stage"], excluded["reason"]) == ("filter", "excluded")
    assert not site.seen("/video/clip-1")
    assert not site.seen("/tag/politics/") and not site.seen("/category/world/")
    assert len(site.seen("/news/bridge-vote")) == 1  # linked by RSS with utm_ and by the sitemap


def test_news_sitemap_dates_a_page_that_has_no_date(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    run(config, data_dir)
    by_url = {r["url"]: r for r in articles(data_dir)}
    undated = by_url[site.url(gazette.path("quiet-harbour"))]
    assert undated["published"] == "2024-04-30T08:00:00+00:00"
    dated = by_url[site.url(gazette.path("museum-roof"))]
    assert dated["published"].startswith("2024-05-01")  # the page's own date wins


def test_second_run_with_nothing_new_costs_only_conditional_requests(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    run(config, data_dir)
    before = article_lines(data_dir)
    site.clear_log()

    stats = run(config, data_dir)

    assert (stats.new, stats.changed, stats.failed) == (0, 0, 0)
    assert stats.found == 0  # every feed and sitemap answered 304: nothing to look at
    assert article_lines(data_dir) == before
    assert not [r for r in site.requests if r.path.startswith("/news/")]
    for path in DOCUMENTS:
        seen = site.seen(path)
        assert seen, f"{path} was not asked for"
        assert all(r.headers.get("if-none-match") and r.status == 304 for r in seen), path
    assert stats.documents_unchanged == len(DOCUMENTS) + 1  # and robots.txt, for its Sitemap:


def test_new_items_are_fetched_and_nothing_else(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    run(config, data_dir)
    gazette.add("tide-gauge", where=("rss",))
    gazette.add("night-train", where=("sitemap",))
    site.clear_log()

    stats = run(config, data_dir)

    assert (stats.new, stats.changed) == (2, 0)
    fetched = {r.path for r in site.requests if r.path.startswith("/news/")}
    assert fetched == {"/news/tide-gauge", "/news/night-train"}
    assert len(articles(data_dir)) == 10


def test_changed_page_gets_a_new_version_with_the_same_id(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    run(config, data_dir)
    gazette.change("bridge-vote", lastmod=True)
    site.clear_log()

    stats = run(config, data_dir)

    assert (stats.new, stats.changed) == (0, 1)
    versions = [r for r in articles(data_dir) if r["url"] == site.url("/news/bridge-vote")]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["id"] == versions[1]["id"]
    assert versions[0]["content_hash"] != versions[1]["content_hash"]
    assert versions[1]["body"].startswith(versions[0]["body"])
    # the index answered 304, yet its gzipped child sitemap was read again and had changed
    assert [r.status for r in site.seen("/sitemap_index.xml")] == [304]
    assert [r.status for r in site.seen("/sitemaps/pages.xml.gz")] == [200]


def test_refresh_asks_again_and_only_a_changed_body_is_a_new_version(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    run(config, data_dir)
    gazette.change("ferry-strike")  # no new lastmod: a plain run cannot know
    assert run(config, data_dir).changed == 0
    site.clear_log()

    stats = run(config, data_dir, refresh=True)

    assert (stats.new, stats.changed, stats.unchanged) == (0, 1, 7)
    pages = [r for r in site.requests if r.path.startswith("/news/")]
    assert all(r.headers.get("if-none-match") for r in pages)  # conditional GETs
    assert sorted(r.path for r in pages if r.status == 200) == ["/news/ferry-strike"]
    assert len(articles(data_dir)) == 9


def test_url_variants_of_one_article_make_one_record(
    config: Config, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    run(config, data_dir)
    main = site.url("/news/bridge-vote")
    body = gazette.bodies["bridge-vote"]
    title = gazette.titles["bridge-vote"]
    # the same page under another path, pointing home with rel=canonical
    site.set("/mirror/bridge-vote", article_html(title, body, canonical=main))
    # the same text republished under its own canonical URL
    syndicated = site.url("/partner/bridge-vote")
    site.set("/partner/bridge-vote", article_html(title, body, canonical=syndicated))
    variants = [
        "/news/bridge-vote/",
        "/news/bridge-vote/amp",
        "/news/bridge-vote?utm_campaign=x#comments",
        "/mirror/bridge-vote",
        "/partner/bridge-vote",
    ]
    links = "".join(f'<a href="{v}">{title}</a>' for v in variants)
    site.set("/world/", f"<html><body><ul>{links}</ul></body></html>".encode())
    site.clear_log()

    stats = run(config, data_dir)

    assert (stats.new, stats.changed) == (0, 0)
    assert [r["url"] for r in articles(data_dir)].count(main) == 1
    assert len(articles(data_dir)) == 8
    assert not site.seen("/news/bridge-vote/") and not site.seen("/news/bridge-vote/amp")
    [duplicate] = [r for r in rejects(data_dir) if r["reason"] == "duplicate"]
    assert duplicate["url"] == syndicated


def test_max_pages_leaves_the_rest_for_the_next_run(
    tmp_path: Path, data_dir: Path, gazette: Gazette, site: Site
) -> None:
    config = load_config(write_config(tmp_path / "capped.toml", site, "[run]\nmax_pages = 3\n"))

    first = run(config, data_dir)
    second = run(config, data_dir)
    third = run(config, data_dir)

    assert [s.new for s in (first, second, third)] == [3, 3, 2]
    assert len(articles(data_dir)) == 8
