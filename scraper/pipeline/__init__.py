"""Scheduled runs: the stages wired together (the only layer that combines them)."""

from __future__ import annotations

from scraper.pipeline.run import run
from scraper.pipeline.stats import RunStats

__all__ = ["RunStats", "run"]
