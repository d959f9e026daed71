"""Parquet with the same columns as the JSONL: a file per run, and ``export`` of the dataset.

The Arrow schema is derived from the Article model, so a field added there
becomes a column here. Files are written under a temporary name and renamed
when complete: a reader never sees half a Parquet file.
"""

from __future__ import annotations

import json
import os
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from scraper.errors import StateError
from scraper.models import Article
from scraper.sinks.jsonl import read_lines

BATCH_ROWS = 1_000


def _arrow_type(annotation: Any) -> pa.DataType:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _arrow_type(args[0])
    if origin is list:
        return pa.list_(_arrow_type(args[0]))
    if origin is typing.Literal:
        return _arrow_type(type(args[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(
            [pa.field(n, _arrow_type(f.annotation)) for n, f in annotation.model_fields.items()]
        )
    simple: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), bool: pa.bool_()}
    if annotation in simple:
        return simple[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


def article_schema() -> pa.Schema:
    """The Arrow schema of an Article, column for column."""
    return pa.schema(
        [pa.field(name, _arrow_type(f.annotation)) for name, f in Article.model_fields.items()]
    )


class _TableWriter:
    """Rows to one Parquet file in batches; renamed into place on ``close``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path.with_name(path.name + ".tmp")
        self._schema = article_schema()
        self._rows: list[dict[str, Any]] = []
        self._writer: pq.ParquetWriter | None = None
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        self.count += 1
        if len(self._rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        if self._writer is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._writer = pq.ParquetWriter(self._tmp, self._schema, compression="zstd")
            except OSError as exc:
                raise StateError(f"{self.path}: cannot write: {exc}") from exc
        self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
        self._rows = []

    def close(self) -> None:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            os.replace(self._tmp, self.path)


def write_empty(path: Path) -> None:
    """A file with the Article columns and no rows: an empty result is still a readable file."""
    pq.write_table(article_schema().empty_table(), path)


class ParquetSink:
    """A run's articles as one Parquet file (written only if the run wrote any article)."""

    def __init__(self, path: Path) -> None:
        self._table = _TableWriter(path)
        self.path = path

    def write(self, article: Article) -> None:
        self._table.add(article.model_dump(mode="json"))

    def close(self) -> None:
        self._table.close()


def export_parquet(files: Iterable[Path], output: Path, *, latest: bool = False) -> int:
    """Every article line of ``files`` (or, with ``latest``, each id's last version) into one
    Parquet file at ``output``; returns the number of rows written."""
    files = list(files)
    keep: set[tuple[int, int]] | None = None
    if latest:
        last: dict[str, tuple[int, int]] = {}
        for index, path in enumerate(files):
            for offset, line in read_lines(path):
                last[json.loads(line)["id"]] = (index, offset)
        keep = set(last.values())
    table = _TableWriter(output)
    for index, path in enumerate(files):
        for offset, line in read_lines(path):
            if keep is None or (index, offset) in keep:
                table.add(json.loads(line))
    table.close()
    if table.count == 0:  # still give the user a file with the right columns
        write_empty(output)
    return table.count
