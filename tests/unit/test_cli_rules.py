"""The command line with site rules: `extract --explain`, `--rules`, and `rules check`."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from scraper.cli import cli
from tests.conftest import FIXTURES, REPO, assert_valid_record

PAGE = FIXTURES / "rules" / "partner-box.html"
STANDFIRST = FIXTURES / "rules" / "odd-standfirst.html"
URL = "https://www.example.org/news/ferry-returns"
RULE = '["example.org"]\ndrop = [".xb-unit"]   # the partners\' box inside stories\n'


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sites(tmp_path: Path) -> Path:
    directory = tmp_path / "sites"
    directory.mkdir()
    (directory / "example.org.toml").write_text(RULE, encoding="utf-8")
    return directory


def test_explain_keeps_stdout_a_record_and_says_on_stderr_what_went_and_why(sites: Path) -> None:
    code, out, err = run("extract", "--explain", "--rules", str(sites), str(PAGE), "--url", URL)
    assert code == 0, err
    record = json.loads(out)
    assert_valid_record(record)
    assert "Coastline Holidays" not in record["body"]
    lines = err.splitlines()
    assert lines[0] == f"explain: {PAGE} ({URL})"
    assert lines[1] == f'site rules: {sites / "example.org.toml"} ["example.org"]'
    assert lines[2].split() == ["drop", ".xb-unit", "removed", "1"]
    assert lines[3] == "dropped: 3 (stage, reason, block or line number, text)"
    assert lines[4].split()[:3] == ["preclean", "site_rule:drop", "'Our"]
    assert any(line.split()[:2] == ["preclean", "tag:footer"] for line in lines)
    assert lines[-1] == "kept: 4 paragraphs, 126 words; description none"


def test_explain_says_which_rules_matched_nothing(tmp_path: Path) -> None:
    (tmp_path / "rules.toml").write_text(
        '["example.org"]\ncontent = ".no-such"\ntitle = "h1.nope"\n', encoding="utf-8"
    )
    code, out, err = run("extract", "--explain", "--rules", str(tmp_path), str(PAGE), "--url", URL)
    assert code == 0, err
    assert "Coastline Holidays" in json.loads(out)["body"]  # the generic result, unchanged
    assert "  content  .no-such  matched nothing: generic extraction" in err
    assert "  title    h1.nope   matched nothing: generic value kept" in err


def test_explain_on_a_text_dump_lists_dropped_lines_with_their_numbers() -> None:
    dump = REPO / "scraper" / "samples" / "noisy-article.txt"
    code, out, err = run("extract", "--explain", "--no-rules", str(dump))
    assert code == 0, err
    assert json.loads(out)["body"]
    assert "site rules: none (no rules directory; see --rules)" in err
    dropped = [line.split() for line in err.splitlines() if line.startswith("  text ")]
    assert ["text", "dateline", "#10", "'Published"] in [row[:4] for row in dropped]
    assert all(row[2].startswith("#") for row in dropped)  # line numbers, from 1


def test_explain_without_a_url_says_why_no_rules_were_looked_up(sites: Path) -> None:
    code, _, err = run("extract", "--explain", "--rules", str(sites), str(PAGE))
    assert code == 0
    assert "site rules: not looked up: the page has no URL (give --url)" in err


def test_explain_still_explains_a_page_with_no_article(tmp_path: Path, sites: Path) -> None:
    empty = tmp_path / "nav.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    code, out, err = run("extract", "--explain", "--rules", str(sites), str(empty), "--url", URL)
    assert code == 1 and out == ""
    assert "kept: nothing (no article text)" in err
    assert err.splitlines()[-1] == f"error: {empty}: no article text found on the page"


def test_rules_come_from_config_sites_by_default_and_no_rules_turns_them_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config" / "sites").mkdir(parents=True)
    (tmp_path / "config" / "sites" / "example.org.toml").write_text(RULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run("extract", str(PAGE), "--url", URL)
    assert "Coastline Holidays" not in json.loads(out)["body"]
    _, out, _ = run("extract", "--no-rules", str(PAGE), "--url", URL)
    assert "Coastline Holidays" in json.loads(out)["body"]


def test_a_broken_rule_file_stops_extract_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('["example.org"]\ndrop = ["div >"]\n', encoding="utf-8")
    code, out, err = run("extract", "--rules", str(tmp_path), str(PAGE), "--url", URL)
    assert (code, out) == (1, "")
    assert err == (
        f'error: {tmp_path / "bad.toml"}: ["example.org"].drop[0]: '
        "CSS selector does not parse: 'div >'\n"
    )


def test_explain_is_refused_for_corpora() -> None:
    code, _, err = run("extract", "--explain", "--jsonl-field", "text", "-", stdin=b"")
    assert code == 2
    assert "--explain works on pages and dumps" in err


def test_rules_check_validates_every_file_and_reports_each_error(
    tmp_path: Path, sites: Path
) -> None:
    code, out, err = run("rules", "check", str(sites))
    assert (code, err) == (0, "")
    assert out == f"ok: {sites / 'example.org.toml'}: example.org (1 rule)\n"

    (sites / "bad.toml").write_text('["example.net"]\ncontnet = "main"\n', encoding="utf-8")
    (sites / "slow.toml").write_text("[\"example.com\"]\ndrop_text = ['(a+)+$']\n")
    code, out, err = run("rules", "check", str(sites))
    assert code == 1
    assert out.splitlines() == [f"ok: {sites / 'example.org.toml'}: example.org (1 rule)"]
    assert err.splitlines() == [
        f'error: {sites / "bad.toml"}: ["example.net"].contnet: unknown key; '
        "did you mean 'content'?",
        f"error: {sites / 'slow.toml'}: [\"example.com\"].drop_text[0]: regex '(a+)+$' repeats "
        "a group that itself repeats (like '(a+)+'): it can backtrack for minutes on one line; "
        "write the group without the inner repetition",
    ]


def test_rules_check_finds_a_domain_described_twice(sites: Path) -> None:
    (sites / "z.toml").write_text('["example.org"]\ntitle = "h1"\n', encoding="utf-8")
    code, _, err = run("rules", "check", str(sites))
    assert code == 1
    assert "rules for this domain are already in" in err


def test_rules_check_without_the_directory_says_so(tmp_path: Path) -> None:
    code, _, err = run("rules", "check", str(tmp_path / "nowhere"))
    assert code == 1
    assert err == f"error: {tmp_path / 'nowhere'}: no such rules directory\n"


def test_rules_check_shows_what_each_rule_selects_on_a_saved_page(tmp_path: Path) -> None:
    (tmp_path / "example.org.toml").write_text(
        """["example.org"]
description = ".teaser-block"
published = ".stamp@data-ts"
drop_text = ['^Written up by ']
drop = [".read-also"]
follow = ['/news/']
""",
        encoding="utf-8",
    )
    code, out, err = run("rules", "check", str(tmp_path), "--file", str(STANDFIRST), "--url", URL)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1] == f'{URL}: {tmp_path / "example.org.toml"} ["example.org"]'
    report = "\n".join(lines[2:])
    assert ".read-also       matched nothing: nothing removed" in report
    assert "dropped 1\n      'Written up by Jane Roe'" in report
    assert "published = '2024-04-02T10:15:00+02:00'" in report
    assert "description = 'Borrow a packet in spring" in report
    assert "0 link(s) on this page would be followed" in report
    assert lines[-1] == "article: 'Library opens a seed bank for local gardeners', 99 words"


def test_rules_check_on_a_page_no_rule_applies_to(tmp_path: Path, sites: Path) -> None:
    code, _, err = run("rules", "check", str(sites), "--file", str(STANDFIRST))
    assert code == 1
    assert "no rules in" in err and "(no --url, no canonical link)" in err
    code, _, err = run(
        "rules", "check", str(sites), "--file", str(STANDFIRST), "--url", "https://example.net/"
    )
    assert code == 1
    assert err.endswith("apply to example.net\n")


@respx.mock
def test_rules_check_fetches_a_url_and_counts_the_links_it_would_follow(tmp_path: Path) -> None:
    (tmp_path / "example.org.toml").write_text(
        "[\"example.org\"]\nfollow = ['/news/']\ndrop = ['.xb-unit']\n", encoding="utf-8"
    )
    respx.get("https://www.example.org/robots.txt").mock(
        return_value=httpx.Response(200, text="User-agent: *\nAllow: /\n")
    )
    listing = PAGE.read_text().replace(
        "<footer>",
        "<a href='/news/other-story'>Other</a><a href='/about/'>About</a><footer>",
    )
    respx.get(URL).mock(
        return_value=httpx.Response(
            200, content=listing.encode(), headers={"content-type": "text/html; charset=utf-8"}
        )
    )
    code, out, err = run("rules", "check", str(tmp_path), "--url", URL)
    assert code == 0, err
    assert "1 link(s) on this page would be followed" in out
    assert "https://www.example.org/news/other-story" in out
    assert "removed 1" in out
