"""Site rule files: loaded, validated (with errors naming file, domain and key), looked up."""

from __future__ import annotations

import pickle
import re
import time
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ConfigError
from scraper.rulecheck import check_selector, nested_repetition, slow_selector
from scraper.rules import RuleBook, SiteRules, load_rules, split_attr
from tests.conftest import REPO


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path / "sites", "example.org.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_rules(tmp_path / "sites")
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_a_table_serves_its_subdomains_unless_a_more_specific_one_exists(tmp_path: Path) -> None:
    write(
        tmp_path,
        "sites.toml",
        """
["example.org"]
drop = [".promo"]

["live.example.org"]
content = ".live-post p"
""",
    )
    book = load_rules(tmp_path)
    general = book.for_url("https://www.example.org/news/a")
    assert general is not None and general.drop == (".promo",)
    assert book.for_url("https://EXAMPLE.org./x") is general
    assert book.for_url("https://news.example.org:8443/x") is general
    live = book.for_url("https://live.example.org/storm")
    assert live is not None and live.content == ".live-post p"
    assert book.for_url("https://a.live.example.org/storm") is live
    for other in ("https://notexample.org/x", "https://example.org.evil.test/x", "file:///x"):
        assert book.for_url(other) is None
    assert book.for_url(None) is None
    assert general.where == f'{tmp_path / "sites.toml"} ["example.org"]'


def test_an_empty_book_answers_without_work() -> None:
    book = RuleBook()
    assert not book
    assert book.for_url("https://example.org/") is None
    assert book.follow_for("https://example.org/") == ()


def test_the_shipped_example_is_all_comments_and_valid_once_uncommented(tmp_path: Path) -> None:
    shipped = REPO / "config" / "sites"
    assert not load_rules(shipped)  # examples only: no rule for any real site
    text = (shipped / "example.org.toml").read_text(encoding="utf-8")
    tables = text[text.index('# ["example.org"]') :]
    write(tmp_path, "example.toml", re.sub(r"(?m)^# ?", "", tables))
    rules = load_rules(tmp_path).for_url("https://www.example.org/2024/05/x")
    assert rules is not None
    assert [key for key, _ in rules.rules()] == [
        "content", "drop", "drop", "drop_text", "drop_text", "title", "description",
        "authors", "published", "modified", "section", "tags", "follow",
    ]  # fmt: skip


def test_rules_cross_process_boundaries_with_their_compiled_patterns() -> None:
    rules = SiteRules(domain="example.org", drop_text=("^Read also:",), follow=(r"/\d{4}/",))
    copy = pickle.loads(pickle.dumps(rules))
    assert copy == rules
    assert copy.drop_text_patterns[0].search("Read also: more")
    assert copy.follow_patterns[0].search("https://example.org/2024/x")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '["example.org"]\ncontnet = "main"\n',
            '["example.org"].contnet: unknown key; did you mean',
        ),
        (
            '["example.org"]\nbanana = "x"\n',
            '["example.org"].banana: unknown key (known: content, drop,',
        ),
        (
            '["example.org"]\ndrop = [".ok", "div >"]\n',
            "[\"example.org\"].drop[1]: CSS selector does not parse: 'div >'",
        ),
        ('["example.org"]\ncontent = ""\n', '["example.org"].content: empty CSS selector'),
        (
            '["example.org"]\ntitle = "h1[@title"\n',
            "[\"example.org\"].title: CSS selector does not parse: 'h1[@title'",
        ),
        (
            "[\"example.org\"]\ndrop_text = ['(unclosed']\n",
            "[\"example.org\"].drop_text[0]: regex does not compile: '(unclosed'",
        ),
        (
            "[\"example.org\"]\nfollow = ['/x/', '(\\w+\\s?)*$']\n",
            "[\"example.org\"].follow[1]: regex '(\\\\w+\\\\s?)*$' repeats a group",
        ),
        (
            '["example.org"]\ndrop = ["p ~ .ad"]\n',
            "[\"example.org\"].drop[0]: CSS selector 'p ~ .ad' can be very slow on some pages",
        ),
        (
            '["example.org"]\ncontent = "article .body p"\n',
            "more than one descendant combinator",
        ),
        ('["example.org"]\ndrop = ["time@datetime"]\n', "@attribute is only for metadata keys"),
        ('["example.org"]\ndrop = ".one"\n', '["example.org"].drop: Input should be a valid'),
        ('["https://example.org/"]\ndrop = [".x"]\n', '["https://example.org/"]: not a domain'),
        ('["*.example.org"]\ndrop = [".x"]\n', '["*.example.org"]: not a domain'),
        ('drop = [".x"]\n', "drop: expected a table of rules for a domain"),
        ('["example.org"\n', "invalid TOML"),
    ],
)
def test_a_bad_rule_is_an_error_naming_file_domain_and_key(
    tmp_path: Path, text: str, error: str
) -> None:
    assert error in load_error(tmp_path, text)


def test_a_domain_lives_in_one_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", '["example.org"]\ndrop = [".a"]\n')
    second = write(tmp_path, "b.toml", '["Example.org"]\ndrop = [".b"]\n')
    with pytest.raises(ConfigError, match="already in") as caught:
        load_rules(tmp_path)
    assert str(caught.value) == (
        f'{second}: ["example.org"]: rules for this domain are already in {first}'
    )


def test_a_missing_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such rules directory"):
        load_rules(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "selector",
    [
        "article .story-body",
        ".byline a[rel=author]",
        "div:has(> h2.title)",
        ".box:has(a.more)",
        "main > div > article > p",
        "h1, .headline, article h2",
        '[data-x="a b c"] p',
        'p:lexbor-contains("a ~ b c d")',
        "p:first-of-type",
        ":is(h1, h2).title",
    ],
)
def test_ordinary_selectors_pass(selector: str) -> None:
    assert slow_selector(selector) is None
    assert check_selector(selector) == selector


@pytest.mark.parametrize(
    ("selector", "why"),
    [
        ("a ~ p ~ span", "~"),
        ("li:nth-child(2n+1)", ":nth-"),
        ("p:nth-last-of-type(1)", ":nth-"),
        ("span div div", "more than one descendant"),
        (":is(section div) p", "more than one descendant"),
        ("div:has(section p)", "inside :has()"),
        (":has(:has(p))", ":has() inside :has()"),
    ],
)
def test_selectors_whose_cost_can_explode_are_refused(selector: str, why: str) -> None:
    reason = slow_selector(selector)
    assert reason is not None and why in reason


def test_the_refused_shapes_are_the_slow_ones_and_the_allowed_ones_stay_fast() -> None:
    """The limits are measured, not guessed: on a page 400 elements deep, two descendant
    combinators cost orders of magnitude more than one."""
    tree = LexborHTMLParser("<div>" * 400 + "<p>x</p>" + "</div>" * 400)

    def seconds(selector: str) -> float:
        best = float("inf")
        for _ in range(3):  # the best of three: a busy machine only adds time
            start = time.perf_counter()
            tree.css(selector)
            best = min(best, time.perf_counter() - start)
        return best

    allowed = seconds("span div")
    refused = seconds("span div div")
    assert allowed < 0.05
    assert refused > 20 * max(allowed, 1e-4)


@pytest.mark.parametrize(
    ("pattern", "nested"),
    [
        ("(a+)+", True),
        (r"(\w+\s?)*$", True),
        ("(?:x*y)+", True),
        ("(?P<word>a{1,3})*", True),
        ("(?i)(ab+){2,}", True),
        ("^Read also:", False),
        ("(?:foo|bar)+", False),
        ("(ab)+", False),
        ("(a{2})+", False),
        ("(a+){3}", False),
        ("[(a+)]+", False),
        (r"\(a+\)+", False),
        ("^(?:Advertisement|Anzeige)$", False),
    ],
)
def test_nested_repetition_is_found_by_shape(pattern: str, nested: bool) -> None:
    assert nested_repetition(pattern) is nested


def test_attribute_suffix_splits_only_at_the_end() -> None:
    assert split_attr("time[itemprop=datePublished]@datetime") == (
        "time[itemprop=datePublished]",
        "datetime",
    )
    assert split_attr('a[href^="mailto:desk@x"]') == ('a[href^="mailto:desk@x"]', None)
    assert split_attr("meta[name=dek] @content") == ("meta[name=dek]", "content")
