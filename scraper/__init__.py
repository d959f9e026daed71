"""scraper: news and article pages in, clean structured article JSON out."""

from __future__ import annotations

from scraper._version import __version__

__all__ = ["__version__"]
