"""Web archives in: the pages of WARC and ARC files (the writer is ``scraper.sinks.warc``)."""

from scraper.warc.read import MAX_PAGE_BYTES, Item, Page, Rejected, Skipped, read_archive

__all__ = ["MAX_PAGE_BYTES", "Item", "Page", "Rejected", "Skipped", "read_archive"]
