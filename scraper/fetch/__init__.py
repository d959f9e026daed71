"""Fetching pages: one safe, polite, retrying HTTP client path (see DESIGN.md)."""

from __future__ import annotations

from scraper.fetch.client import build_client
from scraper.fetch.fetcher import HTML_TYPES, Fetcher, fetch_url
from scraper.fetch.guard import check_url
from scraper.fetch.network import Resolve, system_resolve
from scraper.fetch.robots import RobotsCache

__all__ = [
    "HTML_TYPES",
    "Fetcher",
    "Resolve",
    "RobotsCache",
    "build_client",
    "check_url",
    "fetch_url",
    "system_resolve",
]
