"""Where a run's output goes: the layout of the data directory and the sinks that fill it.

```
DATA/
  articles/YYYY-MM-DD.jsonl    one Article per line, append-only, partitioned by run date
  rejects/YYYY-MM-DD.jsonl     URLs that failed or were dropped, with stage and reason
  parquet/<run start>.parquet  with --format parquet: the articles a run wrote
  state.sqlite                 what earlier runs learnt (scraper.state)
  run.lock                     held while a run works
```

Parquet lives in ``scraper.sinks.parquet``, imported only when asked for: pyarrow
costs every process that imports it some 60 MB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from scraper.models import Article
from scraper.sinks.jsonl import JsonlSink, RejectSink, read_lines, repair_tail

__all__ = [
    "DataDir",
    "JsonlSink",
    "RejectSink",
    "Sink",
    "read_lines",
    "repair_tail",
]


class Sink(Protocol):
    """Receives each article a run accepts, in order; ``close`` makes everything durable."""

    def write(self, article: Article) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def rejects(self) -> Path:
        return self.root / "rejects"

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"

    @property
    def state(self) -> Path:
        return self.root / "state.sqlite"

    def article_files(self) -> list[Path]:
        """The dataset's JSONL files in the order they were written (names sort by date)."""
        return sorted(self.articles.glob("*.jsonl"))
