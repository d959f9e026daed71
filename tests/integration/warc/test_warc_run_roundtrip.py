"""`scraper run --warc` archives what it fetched; `scraper extract --warc` gives it all back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from scraper.cli import cli
from tests.conftest import assert_valid_record
from tests.integration.run.conftest import Gazette, articles


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def key(record: dict[str, Any]) -> tuple[str, str, str, str]:
    return record["url"], record["content_hash"], record["title"], record["fetched_at"]


def test_extract_over_a_runs_archive_gives_the_same_articles(
    config_path: Path, data_dir: Path, gazette: Gazette
) -> None:
    code, out, err = invoke("run", "--config", str(config_path), "--data", str(data_dir), "--warc")
    assert code == 0, err
    assert out.splitlines()[-1] == "archived 8 pages in 1 WARC file"
    [archive] = (data_dir / "warc").iterdir()
    assert archive.name.endswith(".warc.gz")

    code, out, err = invoke("extract", "--warc", str(data_dir / "warc" / "*.warc.gz"))
    assert code == 0, err
    extracted = [json.loads(line) for line in out.splitlines()]
    for record in extracted:
        assert_valid_record(record)
    ran = articles(data_dir)
    assert len(extracted) == len(ran) == 8
    assert sorted(map(key, extracted)) == sorted(map(key, ran))
    # the request records and the warcinfo are counted, not errors
    assert "records 17, articles 8, skipped 9, rejected 0" in err
    assert "skipped: record:request 8, record:warcinfo 1" in err


def test_the_config_key_archives_too_and_unchanged_pages_add_nothing(
    config_path: Path, data_dir: Path, gazette: Gazette
) -> None:
    config_path.write_text(
        config_path.read_text(encoding="utf-8").replace(
            "[fetch]", "[output]\nwarc = true\n\n[fetch]", 1
        ),
        encoding="utf-8",
    )
    code, out, err = invoke("run", "--config", str(config_path), "--data", str(data_dir))
    assert code == 0, err
    assert out.splitlines()[-1] == "archived 8 pages in 1 WARC file"
    gazette.change("bridge-vote")
    code, out, err = invoke(
        "run", "--config", str(config_path), "--data", str(data_dir), "--refresh"
    )
    assert code == 0, err
    assert ", changed 1, unchanged 7," in out
    # the 304s of the unchanged pages have no body to archive; the changed page does
    assert out.splitlines()[-1] == "archived 1 page in 1 WARC file"
    assert len(list((data_dir / "warc").glob("*.warc.gz"))) == 2
