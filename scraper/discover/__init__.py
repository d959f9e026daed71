"""Finding article URLs: feeds, sitemaps, listing pages and saved files (see DESIGN.md).

Parsers are pure functions over bytes; the walk fetches through an object the
pipeline hands in, so discovery never imports the fetcher.
"""

from __future__ import annotations

from scraper.discover.urls import UrlFilter, clean_url, url_key
from scraper.discover.walk import Candidate, Document, Documents, Found, Problem, walk_source

__all__ = [
    "Candidate",
    "Document",
    "Documents",
    "Found",
    "Problem",
    "UrlFilter",
    "clean_url",
    "url_key",
    "walk_source",
]
