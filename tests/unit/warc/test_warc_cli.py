"""`scraper extract --warc` as a user meets it: output order, shards, summaries, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from tests.unit.warc.archives import Response, article_pages, responses, write_warc


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def archives(tmp_path: Path) -> list[Path]:
    pages = article_pages()
    first, second = tmp_path / "crawl-1.warc.gz", tmp_path / "crawl-2.warc.gz"
    write_warc(first, [*responses(pages[:3]), "request"])
    broken = Response("https://example.org/empty", b"<html><body></body></html>")
    write_warc(second, [*responses(pages[3:5]), broken])
    return [first, second]


def test_articles_come_out_in_input_order_with_the_summary_on_stderr(
    archives: list[Path],
) -> None:
    code, out, err = invoke("extract", "--warc", *map(str, archives), "--workers", "2")
    assert code == 0, err
    urls = [json.loads(line)["url"] for line in out.splitlines()]
    assert urls == [p.url for p in article_pages()[:5]]
    assert f"error: {archives[1]}@" in err and "(https://example.org/empty): no_content" in err
    assert "tasks 2 (reused 0, failed 0), records 7, articles 5, skipped 1, rejected 1" in err
    assert "skipped: record:request 1" in err
    assert "rejected: extract:no_content 1" in err


def test_out_writes_a_shard_per_input_and_a_rerun_reuses_them(
    archives: list[Path], tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    pattern = str(archives[0].parent / "crawl-*.warc.gz")  # quoted globs are expanded
    code, out, err = invoke("extract", "--warc", pattern, "--out", str(out_dir))
    assert code == 0, err
    assert out.startswith("extract completed: tasks 2 (reused 0, failed 0), records 7, articles 5")
    assert sorted(p.name for p in out_dir.glob("*.jsonl")) == [
        "crawl-1.jsonl", "crawl-1.rejects.jsonl", "crawl-2.jsonl", "crawl-2.rejects.jsonl"
    ]  # fmt: skip
    code, out, _ = invoke("extract", "--warc", pattern, "--out", str(out_dir))
    assert code == 0
    assert out.startswith("extract completed: tasks 2 (reused 2, failed 0), records 7, articles 5")


def test_a_task_that_cannot_write_fails_with_its_reason(
    archives: list[Path], tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    (out_dir / "crawl-1.jsonl").mkdir(parents=True)  # where the shard should go
    code, out, err = invoke("extract", "--warc", str(archives[0]), "--out", str(out_dir))
    assert code == 1
    assert f"error: {archives[0]}: IsADirectoryError" in err
    assert "tasks 1 (reused 0, failed 1)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "dask"], "--engine dask writes shards: give --out DIR"),
        (["--format", "parquet"], "--format parquet needs --out DIR"),
        (["-"], "--warc reads files, not stdin"),
        (["nowhere/*.warc.gz"], "nowhere/*.warc.gz: no file matches"),
        (["--scheduler", "tcp://10.0.0.5:8786"], "--scheduler needs --engine dask"),
        (["--explain"], "--warc does not take --explain"),
    ],
)
def test_usage_errors(archives: list[Path], args: list[str], message: str) -> None:
    code, _, err = invoke("extract", "--warc", str(archives[0]), *args)
    assert code == 2
    assert message in err


def test_out_without_warc_is_a_usage_error(archives: list[Path], tmp_path: Path) -> None:
    code, _, err = invoke("extract", str(archives[0]), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "work with --warc" in err


def test_without_dask_the_dask_engine_says_how_to_install_it(
    archives: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    out_dir = tmp_path / "out"
    args = ["--engine", "dask", "--out", str(out_dir)]
    code, _, err = invoke("extract", "--warc", str(archives[0]), *args)
    assert code == 1
    assert "pip install 'scraper[dask]'" in err
    assert not out_dir.exists()


def test_site_rules_apply_to_archived_pages(tmp_path: Path) -> None:
    page = Path(__file__).parents[2] / "fixtures" / "rules" / "partner-box.html"
    archive = tmp_path / "site.warc.gz"
    write_warc(archive, [Response("https://www.example.org/news/ferry", page.read_bytes())])
    rules = tmp_path / "sites"
    rules.mkdir()
    (rules / "example.org.toml").write_text('["example.org"]\ndrop = [".xb-unit"]\n')
    _, generic, _ = invoke("extract", "--warc", str(archive), "--no-rules")
    code, ruled, err = invoke("extract", "--warc", str(archive), "--rules", str(rules))
    assert code == 0, err
    assert "Coastline Holidays" in json.loads(generic)["body"]
    assert "Coastline Holidays" not in json.loads(ruled)["body"]


def test_byte_ranges_give_the_articles_of_the_whole_file(tmp_path: Path) -> None:
    archive = tmp_path / "big.warc.gz"
    write_warc(archive, responses(article_pages()))
    size = archive.stat().st_size
    _, whole, _ = invoke("extract", "--warc", str(archive))
    out_dir = tmp_path / "out"
    range_mb = str(size / 4.5 / 1e6)
    code, out, err = invoke(
        "extract", "--warc", str(archive), "--range-mb", range_mb, "--out", str(out_dir)
    )
    assert code == 0, err
    assert out.startswith("extract completed: tasks 5 ")
    shards = sorted(out_dir.glob("big.r*.jsonl"))
    assert [p.name for p in shards if "rejects" not in p.name] == [
        f"big.r00{n}.jsonl" for n in range(5)
    ]
    in_ranges = b"".join(p.read_bytes() for p in shards if "rejects" not in p.name)
    assert in_ranges.decode() == whole
