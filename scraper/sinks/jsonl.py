"""Append-only JSON Lines files: the article dataset and the rejects.

A line, once written, is never rewritten. The only repair ever made is to
cut an unterminated final line, which only a process killed mid-write
leaves behind, so every file any JSONL reader opens holds whole records.
``sync`` flushes and fsyncs: the pipeline calls it before it commits the
state that says those lines exist.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from scraper.errors import StateError
from scraper.models import Article

_TAIL_CHUNK = 64 * 1024


def repair_tail(path: Path) -> int:
    """Cut a torn (unterminated) final line off ``path``; return the file's size after."""
    with path.open("rb+") as fh:
        size = fh.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - _TAIL_CHUNK)
            fh.seek(start)
            chunk = fh.read(end - start)
            if end == size and chunk.endswith(b"\n"):
                return size  # the common case: nothing torn
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
        return keep


def read_lines(path: Path, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """``(offset after the line, line)`` for each complete line from byte ``start`` on."""
    with path.open("rb") as fh:
        fh.seek(start)
        offset = start
        for line in fh:
            if not line.endswith(b"\n"):
                return  # a line still being written (or torn): not ours to read yet
            offset += len(line)
            yield offset, line


class _AppendFile:
    """One append-only file, opened lazily so a run that writes nothing creates nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def append(self, line: bytes) -> None:
        if self._fh is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = self.path.open("ab")
            except OSError as exc:
                raise StateError(f"{self.path}: cannot write: {exc.strerror}") from exc
        self._fh.write(line)

    @property
    def size(self) -> int:
        if self._fh is not None:
            return self._fh.tell()
        return self.path.stat().st_size if self.path.exists() else 0

    def sync(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None


class JsonlSink:
    """Articles, one per line, appended to ``DATA/articles/<partition>.jsonl``."""

    def __init__(self, path: Path) -> None:
        self._file = _AppendFile(path)
        self.path = path

    def write(self, article: Article) -> None:
        self._file.append(article.model_dump_json().encode("utf-8") + b"\n")

    @property
    def size(self) -> int:
        """Bytes in the file so far, synced or not: the offset the state records."""
        return self._file.size

    def sync(self) -> None:
        self._file.sync()

    def close(self) -> None:
        self._file.close()


class RejectSink:
    """URLs that failed or were dropped: ``{time, source, url, stage, reason, detail}`` lines."""

    def __init__(self, path: Path) -> None:
        self._file = _AppendFile(path)
        self.path = path

    def write(self, record: dict[str, Any]) -> None:
        self._file.append(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")

    def sync(self) -> None:
        self._file.sync()

    def close(self) -> None:
        self._file.close()
