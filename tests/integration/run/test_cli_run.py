"""`scraper run` and `scraper export` as a cron user meets them: summary, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from scraper.cli import EXIT_RUN_FAILED, cli
from tests.conftest import REPO, assert_valid_record
from tests.integration.run.conftest import Gazette, articles

DEMO = REPO / "config" / "demo.toml"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_bundled_demo_runs_offline_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, err = invoke("run", "--config", str(DEMO), "--data", str(data))
    assert code == 0, err
    assert out.startswith("run completed: found ")
    records = articles(data)
    assert len(records) >= 10
    for record in records:
        assert_valid_record(record)
        assert record["source"] == "demo"
    # Saved pages without a canonical link are still distinct records.
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["content_hash"] for r in records}) == len(records)

    code, out, _ = invoke("run", "--config", str(DEMO), "--data", str(data))
    assert code == 0
    assert ", new 0, changed 0," in out
    assert len(articles(data)) == len(records)


def test_summary_counts_and_parquet_output(
    config_path: Path, data_dir: Path, gazette: Gazette
) -> None:
    code, out, err = invoke(
        "run", "--config", str(config_path), "--data", str(data_dir), "--format", "parquet"
    )
    assert code == 0, err
    summary, reasons, removed = out.splitlines()
    assert "found 9, new 8, changed 0, unchanged 0, failed 0, dropped 1;" in summary
    assert "pages/s" in summary
    assert reasons == "reasons: dropped:excluded 1"
    # what was cut from the articles' text, by reason, as --explain shows it for one page
    assert removed.startswith("removed from the text: preclean:")
    [parquet] = (data_dir / "parquet").glob("*.parquet")
    table = pq.read_table(parquet)
    assert table.num_rows == 8
    assert sorted(table.column("url").to_pylist()) == sorted(r["url"] for r in articles(data_dir))


def test_export_writes_the_dataset_as_one_parquet_file(
    config_path: Path, data_dir: Path, gazette: Gazette, tmp_path: Path
) -> None:
    assert invoke("run", "--config", str(config_path), "--data", str(data_dir))[0] == 0
    target = tmp_path / "out.parquet"
    code, out, err = invoke("export", "--data", str(data_dir), "--output", str(target))
    assert code == 0, err
    assert out == f"wrote 8 articles to {target}\n"
    rows = pq.read_table(target).to_pylist()
    assert rows == articles(data_dir)


def test_failures_of_single_urls_do_not_fail_the_run(
    config_path: Path, data_dir: Path, gazette: Gazette
) -> None:
    gazette.in_rss.append("gone-missing")  # listed, but the page is a 404
    gazette.site.set("/news/not-html", b"%PDF-1.4 binary", "application/pdf")
    gazette.in_atom.append("not-html")
    gazette.titles["not-html"] = gazette.titles["gone-missing"] = "Missing"
    gazette.publish()

    code, out, err = invoke("run", "--config", str(config_path), "--data", str(data_dir))

    assert code == 0, err
    assert ", failed 2," in out
    rejected = {
        json.loads(line)["url"].rsplit("/", 1)[-1]: json.loads(line)
        for path in (data_dir / "rejects").glob("*.jsonl")
        for line in path.read_text().splitlines()
    }
    assert rejected["gone-missing"]["stage"] == "fetch"
    assert "404" in rejected["gone-missing"]["detail"]
    assert rejected["not-html"]["reason"] == "not_html"


def test_bad_config_fails_with_one_line_naming_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[[sources]]\nname = "x"\nfeeds = ["ftp://example.org/feed"]\n')
    code, out, err = invoke("run", "--config", str(config), "--data", str(tmp_path / "d"))
    assert code == EXIT_RUN_FAILED
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith(f"error: {config}: sources[0] (x).feeds:")
    assert not (tmp_path / "d").exists()


def test_unusable_data_dir_fails_with_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = invoke("run", "--config", str(DEMO), "--data", str(blocker / "data"))
    assert code == EXIT_RUN_FAILED
    [line] = err.splitlines()
    assert line.startswith(f"error: {blocker / 'data'}: cannot create the data directory")
