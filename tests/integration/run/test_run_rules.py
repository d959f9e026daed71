"""Site rules in a scheduled run: read from sites/ beside the config, checked at the start,
applied to listing pages (follow) and to every page of the site (extraction)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import load_config
from scraper.errors import ConfigError
from scraper.pipeline import run
from tests.integration.run.conftest import FETCH_SETTINGS, articles
from tests.integration.run.site import Site, article_html, paragraphs

SPONSOR = "The River Trust supports this series with a grant, and our editors choose every story."


def publish(site: Site) -> None:
    site.set("/news/river-survey", article_html("River survey", [*paragraphs("river"), SPONSOR]))
    site.set("/news/forest-fire", article_html("Forest fire", paragraphs("forest")))
    site.set(
        "/world/",
        b"<html><body><ul><li><a href='/news/river-survey'>River survey</a></li>"
        b"<li><a href='/news/forest-fire'>Forest fire</a></li></ul></body></html>",
    )


def configure(tmp_path: Path, site: Site, rules: str | None) -> Path:
    config = tmp_path / "sources.toml"
    config.write_text(
        FETCH_SETTINGS + f'\n[[sources]]\nname = "gazette"\npages = ["{site.url("/world/")}"]\n',
        encoding="utf-8",
    )
    if rules is not None:
        (tmp_path / "sites").mkdir()
        (tmp_path / "sites" / "gazette.toml").write_text(rules, encoding="utf-8")
    return config


def test_a_run_follows_and_extracts_by_the_sites_rules(tmp_path: Path, site: Site) -> None:
    publish(site)
    rules = "[\"127.0.0.1\"]\nfollow = ['/news/river-']\ndrop_text = ['^The River Trust ']\n"
    config = load_config(configure(tmp_path, site, rules))
    assert config.extract.rules == str(tmp_path / "sites")

    stats = run(config, tmp_path / "data")

    [record] = articles(tmp_path / "data")
    assert record["url"] == site.url("/news/river-survey")
    assert "River Trust" not in record["body"]
    assert record["body"].endswith(paragraphs("river")[-1])
    assert (stats.found, stats.new) == (1, 1)
    assert not site.seen("/news/forest-fire")


def test_without_rules_the_run_is_generic(tmp_path: Path, site: Site) -> None:
    publish(site)
    config = load_config(configure(tmp_path, site, None))
    assert config.extract.rules is None

    run(config, tmp_path / "data")

    by_url = {r["url"]: r for r in articles(tmp_path / "data")}
    assert set(by_url) == {site.url("/news/river-survey"), site.url("/news/forest-fire")}
    assert SPONSOR in by_url[site.url("/news/river-survey")]["body"]


def test_a_bad_rule_stops_the_run_before_anything_is_fetched(tmp_path: Path, site: Site) -> None:
    publish(site)
    config = load_config(configure(tmp_path, site, '["127.0.0.1"]\ndrop = ["a ~ b"]\n'))
    with pytest.raises(ConfigError, match=r'gazette\.toml: \["127\.0\.0\.1"\]\.drop\[0\]'):
        run(config, tmp_path / "data")
    assert not site.requests
    assert not (tmp_path / "data").exists()
