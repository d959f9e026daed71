"""Every hand-built page through the Python API and the CLI, against its expectations."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner

import scraper
from scraper.cli import cli
from tests.conftest import PageFixture, assert_valid_record, page_fixtures

FIXTURES = page_fixtures()


def _field(record: dict[str, Any], key: str) -> Any:
    if key == "related_titles":
        return [r["title"] for r in record["related"]]
    if key == "paragraph_count":
        return len([p for p in record["body"].split("\n\n") if p.strip()])
    value: Any = record
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if part.startswith("["):
            index = int(part[1:-1])
            assert len(value) > index, f"{key}: only {len(value)} entries"
            value = value[index]
        else:
            value = value[part]
    return value


def check_record(fixture: PageFixture, record: dict[str, Any]) -> None:
    assert_valid_record(record)
    expected = fixture.expected
    body = record["body"]
    for key, want in expected.get("fields", {}).items():
        got = _field(record, key)
        if key in ("published", "modified") and got and len(want) == 10:
            got = got[:10]
        assert got == want, f"{fixture.name}: {key}: {got!r} != {want!r}"
    for text in expected.get("must_contain", []):
        assert text in body, f"{fixture.name}: body lost {text!r}"
    for text in expected.get("must_not_contain", []):
        assert text not in body, f"{fixture.name}: noise kept in body: {text!r}"
    for name in expected.get("authors_contain", []):
        assert any(name.lower() in a.lower() for a in record["authors"]), (
            f"{fixture.name}: author {name!r} not in {record['authors']!r}"
        )
    if "max_words" in expected:
        assert record["word_count"] <= expected["max_words"]
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert len(paragraphs) == len(set(paragraphs)), f"{fixture.name}: a paragraph is repeated"


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 12


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_through_python_api(fixture: PageFixture) -> None:
    data = fixture.html_path.read_bytes()
    if fixture.expected.get("is_article", True) is False:
        try:
            article = scraper.extract(data, url=fixture.url)
        except scraper.ScraperError:
            return  # refusing a listing page outright is fine too
    else:
        article = scraper.extract(data, url=fixture.url)
    check_record(fixture, article.model_dump(mode="json"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_through_cli(fixture: PageFixture) -> None:
    args = ["extract", str(fixture.html_path)]
    if fixture.url:
        args += ["--url", fixture.url]
    result = CliRunner().invoke(cli, args)
    if fixture.expected.get("is_article", True) is False and result.exit_code != 0:
        assert result.stderr.startswith(f"error: {fixture.html_path}: ")
        return
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    check_record(fixture, json.loads(lines[0]))
