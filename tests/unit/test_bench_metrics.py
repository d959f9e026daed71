"""The benchmark's metric functions (bench/metrics.py), on cases computed by hand."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest


def _load_metrics() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "metrics.py"
    spec = importlib.util.spec_from_file_location("bench_metrics", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


m = _load_metrics()


def test_identical_texts_score_one() -> None:
    text = "The quick brown fox jumps over the lazy dog. It was not amused."
    counts = m.shingle_counts(text, text)
    assert (counts.tp, counts.fp, counts.fn) == (1.0, 0.0, 0.0)
    score = m.shingle_score([counts])
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_disjoint_texts_score_zero() -> None:
    score = m.shingle_score([m.shingle_counts("one two three four five", "six seven eight nine")])
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_small_known_case() -> None:
    # truth shingles: abcd bcde cdef; predicted: abcd bcde -> tp 2, fp 0, fn 1 (over 3)
    counts = m.shingle_counts("a b c d e f", "a b c d e")
    assert counts.tp == pytest.approx(2 / 3)
    assert (counts.fp, counts.fn) == (0.0, pytest.approx(1 / 3))
    assert counts.precision == 1.0
    assert counts.recall == pytest.approx(2 / 3)
    assert m.shingle_f1("a b c d e f", "a b c d e") == pytest.approx(0.8)


def test_means_over_pages_with_skip_rules() -> None:
    # An empty prediction is skipped for precision (tp+fp = 0) but scores 0 recall.
    pages = [m.shingle_counts("a b c d e f", "a b c d e"), m.shingle_counts("v w x y z", "")]
    score = m.shingle_score(pages)
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx((2 / 3 + 0) / 2)
    assert score.f1 == pytest.approx(2 * 1.0 * (1 / 3) / (1 + 1 / 3))


def test_pages_weigh_the_same_whatever_their_length() -> None:
    long_truth = " ".join(f"w{i}" for i in range(1000))
    pages = [m.shingle_counts(long_truth, long_truth), m.shingle_counts("a b c d e", "a b c d x")]
    # page 2: tp abcd, fp bcdx, fn bcde -> 1/3 each -> P = R = 1/2
    score = m.shingle_score(pages)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.75)


def test_shingles_are_a_multiset() -> None:
    # truth: abcd bcda cdab dabc abcd (5); predicted: abcd -> tp 1, fn 4
    counts = m.shingle_counts("a b c d a b c d", "a b c d")
    assert counts.precision == 1.0
    assert counts.recall == pytest.approx(0.2)


def test_short_text_is_one_shingle() -> None:
    assert m.shingles("a b c") == Counter({("a", "b", "c"): 1})
    assert m.shingles("") == Counter()
    assert m.shingle_f1("hello world", "hello, world!") == 1.0
    assert m.shingle_f1("hello world", "hello world again") == 0.0
    assert m.shingle_f1("hello world", "Hello world") == 0.0  # case is kept


def test_tokens_are_unicode_words() -> None:
    assert m.tokenize("Übersee—café's 2019 東京") == ["Übersee", "café", "s", "2019", "東京"]


def test_snippet_f1_pools_counts_over_pages() -> None:
    body = "Hello   world.\nSecond line here."
    first = m.snippet_counts(body, ["Hello world.", "missing"], ["Second  line", "nope"])
    assert (first.tp, first.fn, first.fp, first.tn) == (1, 1, 1, 1)
    assert first.missing == ("missing",) and first.leaked == ("Second  line",)
    second = m.snippet_counts("alpha beta gamma", ["alpha", "gamma"], [])
    score = m.snippet_score([first, second])
    assert (score.tp, score.fp, score.fn) == (3, 1, 1)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.75)
    assert score.f1 == pytest.approx(0.75)


def test_metadata_folding() -> None:
    folded = m.fold("  \u201cSmart\u201d  Quotes \u2014 it\u2019s\u2026 ")
    assert folded == '"smart" quotes - it\'s...'
    assert m.fold(None) == ""
    assert m.title_matches("Minions \u2013 Malen", "minions - malen")
    assert not m.title_matches("Minions", "Minions | Site")


def test_authors_are_compared_joined() -> None:
    assert m.authors_match("Jane Doe; John Roe", ["jane doe", "John  Roe"])
    assert not m.authors_match("Jane Doe, John Roe", ["Jane Doe", "John Roe"])
    assert not m.authors_match("Jane Doe", [])


def test_dates_compare_on_the_day() -> None:
    assert m.date_matches("2022-11-01", "2022-11-01T10:00:00+02:00")
    assert m.date_matches("2022-11-1", "2022-11-01")
    assert not m.date_matches("2022-11-01", "2022-11-02")
    assert not m.date_matches("2022-11-01", None)


def test_timed_call_reports_errors_and_timeouts() -> None:
    assert m.timed_call(lambda: 42).value == 42
    failed = m.timed_call(lambda: 1 / 0)
    assert failed.error is not None and failed.error.startswith("ZeroDivisionError")
    slow = m.timed_call(lambda: time.sleep(5), timeout=0.05)
    assert slow.timed_out and slow.seconds < 1


def test_a_missed_snippet_is_put_down_to_where_it_went() -> None:
    dropped = [
        ("preclean", "class:widget", "Sign up for the weekly letter"),
        ("noise", "kicker", "200 g sugar"),
    ]
    summary = "The board approved the timetable on Tuesday."
    assert m.miss_cause("approved the timetable", summary, dropped) == "description"
    assert m.miss_cause("200 g  sugar", None, dropped) == "noise:kicker"
    assert m.miss_cause("a line never extracted", summary, dropped) == "not extracted"
