"""The summary of a bulk extraction: every task's report added up, in a few lines."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from scraper.bulk.engines import Outcome, ShardFailed


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in counter.most_common())


@dataclass
class Totals:
    tasks: int
    done: int = 0
    reused: int = 0
    failed: list[ShardFailed] = field(default_factory=list)
    records: int = 0
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    cpu_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.done += 1
        self.seconds = time.monotonic() - self.started
        if isinstance(outcome, ShardFailed):
            self.failed.append(outcome)
            return
        self.reused += outcome.reused
        self.records += outcome.records
        self.articles += outcome.articles
        self.skipped.update(outcome.skipped)
        self.rejected.update(outcome.rejected)
        if not outcome.reused:
            self.cpu_seconds += outcome.cpu_seconds

    def lines(self) -> list[str]:
        rate = self.records / self.seconds if self.seconds else 0.0
        out = [
            f"extract completed: tasks {self.tasks} (reused {self.reused}, "
            f"failed {len(self.failed)}), records {self.records}, articles {self.articles}, "
            f"skipped {self.skipped.total()}, rejected {self.rejected.total()}; "
            f"{self.seconds:.1f} s, {rate:.1f} records/s, {self.cpu_seconds:.1f} CPU s in tasks"
        ]
        if self.skipped:
            out.append(f"skipped: {_counts(self.skipped)}")
        if self.rejected:
            out.append(f"rejected: {_counts(self.rejected)}")
        return out
