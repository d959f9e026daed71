"""Cleaning a JSONL corpus: order kept, bad records reported by line, the rest written."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper import api
from scraper.cli import cli
from scraper.models import Article
from tests.conftest import REPO, assert_valid_record

DUMP = (REPO / "scraper" / "samples" / "noisy-article.txt").read_text(encoding="utf-8")
HTML = (
    REPO / "tests" / "fixtures" / "html" / "telesur-example__us-venezuela-assembly.html"
).read_text(encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"id": "a", "text": DUMP, "url": "https://news.example/a"}),
        json.dumps({"id": "b", "text": "   "}),
        "",
        json.dumps({"id": "c"}),
        "{not json",
        json.dumps({"id": "d", "text": DUMP.replace("Venezuela", "Bolivia")}),
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_corpus_records_become_articles_in_order(corpus: Path, workers: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "extract",
            "--input-format",
            "text",
            "--jsonl-field",
            "text",
            "--workers",
            workers,
            str(corpus),
        ],
    )
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    for record in records:
        assert_valid_record(record)
        assert len(record["body"].split("\n\n")) == 14
        assert "Post with no comments" not in record["body"]
    assert records[0]["url"] == "https://news.example/a"
    assert "Bolivia" in records[1]["body"]
    assert result.stderr.splitlines() == [
        f"error: {corpus}:2: no article text found on the page",
        f"error: {corpus}:4: field 'text' is missing",
        f"error: {corpus}:5: invalid JSON: Expecting property name enclosed in double quotes",
    ]


def test_in_place_field_keeps_the_record_and_cleans_the_field(corpus: Path) -> None:
    result = CliRunner().invoke(
        cli, ["extract", "--jsonl-field", "text", "--in-place-field", "--workers", "1", str(corpus)]
    )
    first = json.loads(result.stdout.splitlines()[0])
    assert set(first) == {"id", "text", "url"}
    assert first["id"] == "a"
    assert first["text"].startswith("The United States will not recognize")
    assert "facebook" not in first["text"]


def test_html_corpus(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"html": HTML}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["extract", "--input-format", "html", "--jsonl-field", "html", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["images"][0]["credit"] == "Reuters"


def test_in_place_needs_a_field() -> None:
    result = CliRunner().invoke(cli, ["extract", "--in-place-field", "x.jsonl"])
    assert result.exit_code == 2
    assert "--in-place-field needs --jsonl-field" in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_record_that_hangs_or_crashes_the_cleaner_is_reported_and_the_rest_written(
    tmp_path: Path, workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page the extractor loops on, or a bug met on one record, costs that record only."""
    real = api.clean_text

    def cleaner(text: str, url: str | None = None) -> Article:
        if "HANG" in text:
            while True:  # pure Python: the watchdog's exception lands between bytecodes
                pass
        if "BOOM" in text:
            raise KeyError("boom")
        return real(text, url=url)

    monkeypatch.setattr(api, "clean_text", cleaner)  # a forked worker inherits the patch
    path = tmp_path / "corpus.jsonl"
    lines = [{"text": DUMP}, {"text": "HANG " + DUMP}, {"text": "BOOM"}, {"text": DUMP}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    started = time.monotonic()
    args = ["--jsonl-field", "text", "--workers", workers, "--page-timeout", "0.5", str(path)]
    result = CliRunner().invoke(cli, ["extract", *args])
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    assert all(r["body"].startswith("The United States will not recognize") for r in records)
    assert result.stderr.splitlines() == [
        f"error: {path}:2: timed out: cleaning took over 0.5 s",
        f"error: {path}:3: internal error: KeyError: 'boom'",
    ]
