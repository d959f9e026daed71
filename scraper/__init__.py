"""scraper: news and article pages in, clean structured article JSON out."""

from __future__ import annotations

from scraper._version import __version__
from scraper.api import clean_text, extract, extract_url
from scraper.errors import ScraperError
from scraper.models import Article

__all__ = ["Article", "ScraperError", "__version__", "clean_text", "extract", "extract_url"]
