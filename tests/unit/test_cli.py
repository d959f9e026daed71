"""The command line as a user meets it: outputs, errors, exit codes."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from scraper.cli import cli
from tests.conftest import REPO, assert_valid_record

SAMPLES = REPO / "scraper" / "samples"
HTML = REPO / "tests" / "fixtures" / "html" / "telesur-example__us-venezuela-assembly.html"
DUMP = SAMPLES / "noisy-article.txt"
PAGE_URL = "https://news.example/world/us-venezuela.html"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_saved_page_prints_one_valid_record() -> None:
    code, out, err = run("extract", str(HTML), "--url", PAGE_URL)
    assert code == 0, err
    record = json.loads(out)
    assert_valid_record(record)
    assert record["url"] == PAGE_URL
    assert record["domain"] == "news.example"
    assert record["title"] == "US Will Not Recognize Venezuela's Constituent Assembly"


def test_several_inputs_print_jsonl_in_input_order() -> None:
    code, out, _ = run("extract", str(DUMP), str(HTML), str(DUMP))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert records[0]["body"] == records[2]["body"]
    assert records[1]["images"][0]["credit"] == "Reuters"
    assert records[0]["published"] == "2017-08-04"


def test_pretty_indents_a_single_result() -> None:
    _, out, _ = run("extract", str(HTML), "--pretty")
    assert out.startswith("{\n  ")
    assert json.loads(out)["schema_version"] == 1


def test_failed_input_is_reported_and_others_still_printed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code, out, err = run("extract", str(HTML), str(empty), str(tmp_path / "missing.html"))
    assert code == 1
    assert len(out.splitlines()) == 1
    assert err.splitlines() == [
        f"error: {empty}: empty input",
        f"error: {tmp_path / 'missing.html'}: no such file",
    ]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not HTML: looks like a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not HTML: looks like a PNG image"),
        (b"\x00\x01\x02\x03binary\x00stuff", "not HTML: binary data (NUL bytes)"),
        (b"   \n\t  ", "empty input"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_bad_input_gets_a_clear_one_line_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    code, out, err = run("extract", str(path))
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: {path}: {reason}")
    assert len(err.splitlines()) == 1


def test_gzip_file_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML.read_bytes()))
    code, out, _ = run("extract", str(path))
    assert code == 0
    assert json.loads(out)["related"][0]["title"].startswith("France Backs Venezuela")


def test_stdin_with_url() -> None:
    code, out, err = run("extract", "-", "--url", PAGE_URL, stdin=HTML.read_bytes())
    assert code == 0, err
    record = json.loads(out)
    assert record["url"] == PAGE_URL
    assert record["related"][0]["url"].startswith("https://news.example/news/France-Backs")


def test_text_dump_from_stdin_needs_input_format() -> None:
    code, out, _ = run("extract", "-", "--input-format", "text", stdin=DUMP.read_bytes())
    assert code == 0
    record = json.loads(out)
    assert "Post with no comments" not in record["body"]
    assert record["images"][0]["credit"] == "Reuters"


def test_schema_command_prints_the_article_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Article"
    assert {"id", "body", "content_hash", "schema_version"} <= set(schema["required"])
    assert set(schema["properties"]) >= {"authors", "images", "related", "published"}


def test_python_dash_m_works_like_the_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "extract", str(DUMP)],
        capture_output=True,
        check=False,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["published"] == "2017-08-04"


ROBOTS_OK = httpx.Response(200, text="User-agent: *\nAllow: /\n")


@respx.mock
def test_url_input_is_fetched_and_extracted() -> None:
    respx.get("https://news.example/robots.txt").mock(return_value=ROBOTS_OK)
    route = respx.get(PAGE_URL).mock(
        return_value=httpx.Response(
            200, content=HTML.read_bytes(), headers={"content-type": "text/html; charset=utf-8"}
        )
    )
    code, out, err = run("extract", PAGE_URL)
    assert code == 0, err
    record = json.loads(out)
    assert record["url"] == PAGE_URL
    assert record["fetched_at"].endswith("Z")
    assert route.calls.last.request.headers["user-agent"].startswith("scraper/")


@respx.mock
def test_url_errors_are_one_line_each_and_other_inputs_still_print() -> None:
    respx.get("https://news.example/robots.txt").mock(
        return_value=httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
    )
    respx.get("https://news.example/gone.html").mock(return_value=httpx.Response(404))
    respx.get("https://news.example/file.pdf").mock(
        return_value=httpx.Response(
            200, content=b"%PDF-1.4", headers={"content-type": "application/pdf"}
        )
    )
    private = respx.get("https://news.example/private/page.html")
    code, out, err = run(
        "extract",
        "https://news.example/gone.html",
        str(DUMP),
        "https://news.example/private/page.html",
        "https://news.example/file.pdf",
        "--retries",
        "0",
    )
    assert code == 1
    assert len(out.splitlines()) == 1
    lines = err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("error: https://news.example/gone.html: HTTP 404")
    assert "robots.txt" in lines[1]
    assert lines[2].startswith("error: https://news.example/file.pdf: not")
    assert not private.called
    assert "Traceback" not in err
