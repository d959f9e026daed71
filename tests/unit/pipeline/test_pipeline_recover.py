"""What a killed run leaves behind, and how the next run makes it whole."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from scraper.models import Article
from scraper.pipeline.recorder import article_key
from scraper.pipeline.recovery import recover
from scraper.sinks import DataDir
from scraper.state import State


def line(number: int, canonical: str | None = None) -> bytes:
    article = Article(
        id=f"id{number}",
        url=f"https://x.example/a/{number}?utm_source=rss",
        canonical_url=canonical,
        body="text",
        word_count=1,
        content_hash=f"hash{number}",
        version=1,
    )
    return article.model_dump_json().encode() + b"\n"


def test_uncommitted_lines_are_adopted_and_a_torn_line_cut(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    data.articles.mkdir()
    data.rejects.mkdir()
    path = data.articles / "2024-05-01.jsonl"
    path.write_bytes(line(1) + line(2) + line(3)[:20])
    (data.rejects / "2024-05-01.jsonl").write_bytes(b'{"url": "x"}\n{"url": "y", "sta')
    with closing(State(data.state)) as state:
        state.put_committed_bytes("articles/2024-05-01.jsonl", len(line(1)))
        state.commit()

        assert recover(state, data) == 1  # line 1 was known; line 2 adopted; line 3 was torn

        assert path.read_bytes() == line(1) + line(2)
        assert (data.rejects / "2024-05-01.jsonl").read_bytes() == b'{"url": "x"}\n'
        assert state.committed_bytes("articles/2024-05-01.jsonl") == len(line(1) + line(2))
        adopted = state.article("https://x.example/a/2")
        assert adopted is not None and adopted.content_hash == "hash2"
        page = state.page("https://x.example/a/2")
        assert page is not None and page.status == "article"
        assert recover(state, data) == 0  # nothing twice


def test_article_key_prefers_the_canonical_url_but_not_a_home_page() -> None:
    def key(url: str, canonical: str | None) -> str:
        article = Article(
            id="i", url=url, canonical_url=canonical, body="", word_count=0, content_hash="h"
        )
        return article_key(article, url)

    assert key("https://x.example/amp/a", "https://x.example/a/") == "https://x.example/a"
    assert key("https://x.example/a?utm_medium=x", None) == "https://x.example/a"
    assert key("https://x.example/a", "https://x.example/") == "https://x.example/a"
    assert key("https://x.example/", "https://x.example/") == "https://x.example/"
