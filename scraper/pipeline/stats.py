"""What a run did, counted as it goes: the summary the CLI prints and the run log keeps."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["new", "changed", "unchanged", "failed", "dropped"]


@dataclass
class RunStats:
    """Every URL found ends as exactly one outcome; failures and drops are counted by reason."""

    found: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    dropped: int = 0
    pages: int = 0
    """Pages fetched and extracted (not those skipped as known)."""
    bytes: int = 0
    """Bytes downloaded: pages, feeds, sitemaps."""
    documents: int = 0
    """Feeds, sitemaps, robots.txt and listing pages read."""
    documents_unchanged: int = 0
    """Of those, answered 304 Not Modified."""
    reasons: Counter[str] = field(default_factory=Counter)
    """``failed:<reason>`` and ``dropped:<reason>`` counts."""
    removed: Counter[str] = field(default_factory=Counter)
    """Blocks removed from the articles' text, by ``stage:reason`` (what ``--explain`` shows
    for one page)."""
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def count(self, outcome: Outcome, reason: str | None = None) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if reason is not None:
            self.reasons[f"{outcome}:{reason}"] += 1

    @property
    def done(self) -> int:
        return self.new + self.changed + self.unchanged + self.failed + self.dropped

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def finish(self) -> None:
        self.seconds = time.monotonic() - self.started

    def as_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "dropped": self.dropped,
            "pages": self.pages,
            "bytes": self.bytes,
            "documents": self.documents,
            "documents_unchanged": self.documents_unchanged,
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages_per_second, 2),
            "reasons": dict(sorted(self.reasons.items())),
            "removed": dict(self.removed.most_common()),
        }

    def summary(self) -> str:
        """One line for a terminal or a cron mail."""
        size = _human_bytes(self.bytes)
        line = (
            f"found {self.found}, new {self.new}, changed {self.changed}, "
            f"unchanged {self.unchanged}, failed {self.failed}, dropped {self.dropped}; "
            f"{self.pages} pages, {size} in {self.seconds:.1f}s "
            f"({self.pages_per_second:.1f} pages/s)"
        )
        if self.documents:
            line += f"; feeds/sitemaps {self.documents} read, {self.documents_unchanged} unchanged"
        return line

    def removed_line(self, top: int = 12) -> str | None:
        """The most frequent reasons blocks were removed from the articles' text."""
        if not self.removed:
            return None
        common = ", ".join(f"{k} {v}" for k, v in self.removed.most_common(top))
        more = len(self.removed) - top
        return "removed from the text: " + common + (f", {more} more reasons" if more > 0 else "")

    def reasons_line(self) -> str | None:
        if not self.reasons:
            return None
        return "reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items()))


def _human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"
