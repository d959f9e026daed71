"""Inputs to tasks: one per file, or one per byte range of a large ``.warc.gz``."""

from __future__ import annotations

import glob
from pathlib import Path

from scraper.bulk.job import Task
from scraper.errors import ScraperError

_SUFFIXES = (".gz", ".warc", ".arc")


def expand(patterns: list[str]) -> list[str]:
    """Files named or matched by glob patterns (quoted, so the shell did not expand them)."""
    paths: list[str] = []
    for pattern in patterns:
        found = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
        if not found:
            raise ScraperError(f"{pattern}: no file matches")
        paths.extend(found)
    return list(dict.fromkeys(paths))


def shard_name(path: str) -> str:
    """``CC-MAIN-...-00001.warc.gz`` -> ``CC-MAIN-...-00001``."""
    name = Path(path).name
    while name.lower().endswith(_SUFFIXES) and "." in name:
        name = name[: name.rfind(".")]
    return name or "archive"


def plan(paths: list[str], range_bytes: int = 0) -> list[Task]:
    """A task per file; with ``range_bytes``, gzipped files over that size are cut into ranges
    (shards ``NAME.r000``, ``NAME.r001``, ...). Two inputs may not share a shard name."""
    tasks: list[Task] = []
    owners: dict[str, str] = {}
    for path in paths:
        name = shard_name(path)
        if name in owners:
            raise ScraperError(
                f"{owners[name]} and {path} would write the same shard {name!r}: rename one"
            )
        owners[name] = path
        try:
            size = Path(path).stat().st_size
            with open(path, "rb") as fh:
                gzipped = fh.read(2) == b"\x1f\x8b"
        except OSError as exc:
            raise ScraperError(f"{path}: cannot read file: {exc.strerror}") from exc
        if not range_bytes or size <= range_bytes or not gzipped:
            tasks.append(Task(path, name))
            continue
        starts = range(0, size, range_bytes)
        for index, start in enumerate(starts):
            end = start + range_bytes if start + range_bytes < size else None
            tasks.append(Task(path, f"{name}.r{index:03d}", start, end))
    return tasks
