"""Article and reject files: append-only, whole lines only; Parquet with the same columns."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scraper.models import Article, Image
from scraper.sinks import JsonlSink, RejectSink, read_lines, repair_tail
from scraper.sinks.parquet import ParquetSink, export_parquet


def make_article(number: int, version: int = 1) -> Article:
    return Article(
        id=f"id{number:02d}",
        url=f"https://x.example/a/{number}",
        body=f"Body {number} version {version}.",
        word_count=4,
        content_hash=f"h{number}-{version}",
        images=[Image(url="https://x.example/i.jpg", caption="A harbour")],
        version=version,
    )


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        (b"", b""),
        (b'{"a": 1}\n', b'{"a": 1}\n'),
        (b'{"a": 1}\n{"b": 2}\n{"c": 3, "tor', b'{"a": 1}\n{"b": 2}\n'),
        (b'{"only": "torn', b""),
        (b"x" * 200_000 + b"\n" + b"y" * 100_000, b"x" * 200_000 + b"\n"),
    ],
)
def test_repair_tail_cuts_only_a_torn_final_line(
    tmp_path: Path, content: bytes, kept: bytes
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(content)
    assert repair_tail(path) == len(kept)
    assert path.read_bytes() == kept


def test_jsonl_sink_appends_and_never_rewrites(tmp_path: Path) -> None:
    path = tmp_path / "articles" / "2024-05-01.jsonl"
    sink = JsonlSink(path)
    sink.write(make_article(1))
    sink.close()
    first = path.read_bytes()
    sink = JsonlSink(path)
    sink.write(make_article(2))
    assert sink.size == len(first) + len(sink_line(make_article(2)))  # the offset state records
    sink.sync()
    sink.close()
    assert path.read_bytes().startswith(first)
    records = [json.loads(line) for _, line in read_lines(path)]
    assert [r["id"] for r in records] == ["id01", "id02"]
    assert Article.model_validate(records[0]) == make_article(1)


def sink_line(article: Article) -> bytes:
    return article.model_dump_json().encode() + b"\n"


def test_read_lines_skips_a_line_still_being_written(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"one\ntwo\nthr")
    assert list(read_lines(path)) == [(4, b"one\n"), (8, b"two\n")]
    assert list(read_lines(path, 4)) == [(8, b"two\n")]


def test_a_run_that_writes_nothing_creates_no_file(tmp_path: Path) -> None:
    JsonlSink(tmp_path / "a.jsonl").close()
    RejectSink(tmp_path / "r.jsonl").close()
    ParquetSink(tmp_path / "p.parquet").close()
    assert list(tmp_path.iterdir()) == []


def test_parquet_has_the_columns_of_the_jsonl(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "run.parquet")
    sink.write(make_article(1))
    sink.close()
    table = pq.read_table(tmp_path / "run.parquet")
    assert table.column_names == list(Article.model_fields)
    assert table.to_pylist()[0] == make_article(1).model_dump(mode="json")
    assert not list(tmp_path.glob("*.tmp"))


def test_export_all_lines_or_the_latest_version_of_each(tmp_path: Path) -> None:
    files = [tmp_path / "2024-05-01.jsonl", tmp_path / "2024-05-02.jsonl"]
    files[0].write_bytes(sink_line(make_article(1)) + sink_line(make_article(2)))
    files[1].write_bytes(sink_line(make_article(1, version=2)) + b'{"torn": ')

    assert export_parquet(files, tmp_path / "all.parquet") == 3
    assert export_parquet(files, tmp_path / "latest.parquet", latest=True) == 2
    latest = pq.read_table(tmp_path / "latest.parquet").to_pylist()
    assert sorted((r["id"], r["version"]) for r in latest) == [("id01", 2), ("id02", 1)]


def test_export_of_an_empty_dataset_still_has_the_columns(tmp_path: Path) -> None:
    assert export_parquet([], tmp_path / "empty.parquet") == 0
    assert pq.read_table(tmp_path / "empty.parquet").column_names == list(Article.model_fields)
