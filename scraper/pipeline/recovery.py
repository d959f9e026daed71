"""What a killed run left behind, made whole before the next run starts.

Torn final lines (a process killed mid-write) are cut; article lines written
but not yet recorded in the state (killed between fsync and commit) are
adopted into the state, so those pages are not fetched and written again:
every article stays in the dataset exactly once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import ValidationError

from scraper.discover import url_key
from scraper.models import Article
from scraper.pipeline.recorder import article_key
from scraper.sinks import DataDir, read_lines, repair_tail
from scraper.state import ArticleRow, PageStatus, State

log = logging.getLogger(__name__)


def recover(state: State, data: DataDir) -> int:
    """Repair what a killed run left: cut torn final lines, adopt uncommitted article lines.

    Returns how many article lines were adopted.
    """
    for path in sorted(data.rejects.glob("*.jsonl")):
        repair_tail(path)
    for path in data.parquet.glob("*.parquet.tmp"):
        path.unlink(missing_ok=True)
    adopted = 0
    for path in data.article_files():
        size = repair_tail(path)
        name = str(path.relative_to(data.root))
        committed = state.committed_bytes(name)
        if size < committed:
            log.warning("%s is shorter than the state remembers; was it edited?", path)
        for offset, line in read_lines(path, committed if size >= committed else size):
            _adopt(state, line, path, offset)
            adopted += 1
        state.put_committed_bytes(name, size)
    state.commit()
    if adopted:
        log.info("adopted %d article lines a killed run had written", adopted)
    return adopted


def _adopt(state: State, line: bytes, path: Path, offset: int) -> None:
    try:
        article = Article.model_validate_json(line)
    except ValidationError:
        log.warning("%s: the line ending at byte %d is not an article; left alone", path, offset)
        return
    akey = article_key(article, article.url or "")
    state.put_article(ArticleRow(akey, article.id, article.content_hash, article.version or 1))
    if article.url:
        state.put_page(
            url_key(article.url),
            article.url,
            article.source or "",
            PageStatus.ARTICLE,
            article_key=akey,
        )
