"""What earlier runs learnt, in ``DATA/state.sqlite``: the only module that speaks SQL.

Pages (every URL a run was asked to fetch, with its outcome), articles (one
row per canonical URL with its latest content hash and version), validators
of feeds and sitemaps for conditional GET, how many bytes of each article
file the state already accounts for, and a log of runs. SQLite in WAL mode
keeps the database intact through a ``kill -9``; the caller groups writes in
transactions and commits only after the articles they describe are on disk.

``RunLock`` keeps two runs off one data directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from scraper.errors import LockedError, StateError

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    key TEXT PRIMARY KEY,          -- url_key() of a URL a run was asked to fetch
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,          -- see PageStatus
    reason TEXT,
    article_key TEXT,              -- the article this page turned out to be
    lastmod TEXT,                  -- sitemap lastmod (or file mtime) when last fetched
    etag TEXT,
    last_modified TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_status ON pages(status);
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,          -- url_key() of the canonical URL
    id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY,          -- a feed, sitemap, robots.txt or listing page
    etag TEXT,
    last_modified TEXT,
    body BLOB,                     -- kept for sitemap indexes only (walked again on a 304)
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,         -- an article file, relative to the data directory
    committed INTEGER NOT NULL     -- bytes of it whose articles this database knows
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,          -- running, completed (a killed run stays 'running')
    stats TEXT
);
"""


class PageStatus:
    ARTICLE = "article"  # extracted into an article (new, changed or unchanged)
    DUPLICATE = "duplicate"  # same text as another article
    DROPPED = "dropped"  # fetched, but no article in it (not HTML, no text, too short)
    FAILED = "failed"  # could not be fetched, and retrying will not help
    RETRY = "retry"  # a transient failure: the next run tries again
    EXCLUDED = "excluded"  # stopped by include/exclude; its reject is already written


@dataclass(frozen=True)
class PageRow:
    key: str
    url: str
    source: str
    status: str
    reason: str | None
    article_key: str | None
    lastmod: str | None
    etag: str | None
    last_modified: str | None
    attempts: int
    updated_at: str


_PAGE_COLUMNS = (
    "key, url, source, status, reason, article_key, lastmod, etag, last_modified, attempts,"
    " updated_at"
)


@dataclass(frozen=True)
class ArticleRow:
    key: str
    id: str
    content_hash: str
    version: int


@dataclass(frozen=True)
class DocumentRow:
    etag: str | None = None
    last_modified: str | None = None
    body: bytes | None = None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class State:
    """One connection to ``state.sqlite``; writes join the open transaction until ``commit``."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StateError(f"{path}: cannot open the state database: {exc}") from exc
        self._in_transaction = False

    def close(self) -> None:
        """Roll back what was not committed, and close (use with ``contextlib.closing``)."""
        if self._in_transaction:
            self._db.execute("ROLLBACK")
            self._in_transaction = False
        self._db.close()

    # -- transactions -------------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        if not self._in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._in_transaction = True
        self._db.execute(sql, params)

    def commit(self) -> None:
        if self._in_transaction:
            self._db.execute("COMMIT")
            self._in_transaction = False

    # -- pages --------------------------------------------------------------------------------

    def page(self, key: str) -> PageRow | None:
        row = self._db.execute(
            f"SELECT {_PAGE_COLUMNS} FROM pages WHERE key = ?",
            (key,),
        ).fetchone()
        return PageRow(*row) if row else None

    def put_page(
        self,
        key: str,
        url: str,
        source: str,
        status: str,
        *,
        reason: str | None = None,
        article_key: str | None = None,
        lastmod: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Record a page's latest outcome; ``attempts`` counts transient failures in a row."""
        self._write(
            "INSERT INTO pages (key, url, source, status, reason, article_key, lastmod, etag,"
            " last_modified, attempts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET url = excluded.url, source = excluded.source,"
            " status = excluded.status, reason = excluded.reason,"
            " article_key = COALESCE(excluded.article_key, pages.article_key),"
            " lastmod = COALESCE(excluded.lastmod, pages.lastmod),"
            " etag = COALESCE(excluded.etag, pages.etag),"
            " last_modified = COALESCE(excluded.last_modified, pages.last_modified),"
            " attempts = CASE WHEN excluded.status = 'retry' THEN pages.attempts + 1 ELSE 0 END,"
            " updated_at = excluded.updated_at",
            (
                key,
                url,
                source,
                status,
                reason,
                article_key,
                lastmod,
                etag,
                last_modified,
                1 if status == PageStatus.RETRY else 0,
                now_iso(),
            ),
        )

    def pages_to_retry(self, max_attempts: int) -> list[PageRow]:
        """Pages whose last fetch failed transiently fewer than ``max_attempts`` times in a row."""
        rows = self._db.execute(
            f"SELECT {_PAGE_COLUMNS} FROM pages WHERE status = ? AND attempts < ?"
            " ORDER BY updated_at",
            (PageStatus.RETRY, max_attempts),
        ).fetchall()
        return [PageRow(*row) for row in rows]

    # -- articles -----------------------------------------------------------------------------

    def article(self, key: str) -> ArticleRow | None:
        row = self._db.execute(
            "SELECT key, id, content_hash, version FROM articles WHERE key = ?", (key,)
        ).fetchone()
        return ArticleRow(*row) if row else None

    def article_with_hash(self, content_hash: str) -> ArticleRow | None:
        row = self._db.execute(
            "SELECT key, id, content_hash, version FROM articles WHERE content_hash = ? LIMIT 1",
            (content_hash,),
        ).fetchone()
        return ArticleRow(*row) if row else None

    def put_article(self, row: ArticleRow) -> None:
        self._write(
            "INSERT INTO articles (key, id, content_hash, version, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET id = excluded.id,"
            " content_hash = excluded.content_hash, version = excluded.version,"
            " updated_at = excluded.updated_at",
            (row.key, row.id, row.content_hash, row.version, now_iso()),
        )

    # -- feeds, sitemaps and other documents ----------------------------------------------------

    def document(self, url: str) -> DocumentRow:
        """What a document's last full read left: validators for a conditional GET, a body."""
        row = self._db.execute(
            "SELECT etag, last_modified, body FROM documents WHERE url = ?", (url,)
        ).fetchone()
        return DocumentRow(*row) if row else DocumentRow()

    def put_document(self, url: str, row: DocumentRow) -> None:
        self._write(
            "INSERT INTO documents (url, etag, last_modified, body, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
            " last_modified = excluded.last_modified, body = excluded.body,"
            " updated_at = excluded.updated_at",
            (url, row.etag, row.last_modified, row.body, now_iso()),
        )

    # -- article files ------------------------------------------------------------------------

    def committed_bytes(self, name: str) -> int:
        row = self._db.execute("SELECT committed FROM files WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def put_committed_bytes(self, name: str, size: int) -> None:
        self._write(
            "INSERT INTO files (name, committed) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET committed = excluded.committed",
            (name, size),
        )

    # -- run log ------------------------------------------------------------------------------

    def start_run(self) -> int:
        self._write("INSERT INTO runs (started_at, status) VALUES (?, 'running')", (now_iso(),))
        self.commit()
        row = self._db.execute("SELECT max(id) FROM runs").fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        self._write(
            "UPDATE runs SET finished_at = ?, status = 'completed', stats = ? WHERE id = ?",
            (now_iso(), json.dumps(stats, sort_keys=True), run_id),
        )
        self.commit()


class RunLock:
    """An exclusive lock on a data directory, released by the kernel if the process dies."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "run.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StateError(f"{self.path}: cannot create the lock file: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise LockedError(
                f"another scraper run is using {self.path.parent}{who}; not starting"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
