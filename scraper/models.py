"""The output contract (Article, schema version 1) and the records that flow between stages."""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field


class Image(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    url: str | None = None
    caption: str | None = None
    credit: str | None = None


class RelatedLink(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    title: str
    url: str | None = None


class Article(BaseModel):
    """One clean article. Field meanings are documented in README.md ("The Article")."""

    # Every field is always emitted, so the published schema marks them all required.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    id: str = Field(description="hex sha256 of the canonical URL (or URL, or body), first 16 chars")
    url: str | None = Field(None, description="where the page was fetched, after redirects")
    canonical_url: str | None = Field(None, description="<link rel=canonical> or og:url, resolved")
    site_name: str | None = None
    domain: str | None = None
    title: str | None = Field(None, description="headline without ' - Site Name' suffixes")
    description: str | None = Field(None, description="standfirst / lead / summary")
    authors: list[str] = Field(default_factory=list, description="people, one per entry")
    published: str | None = Field(None, description="ISO 8601 date or datetime with offset")
    modified: str | None = Field(None, description="ISO 8601 date or datetime with offset")
    language: str | None = Field(None, description="ISO 639-1 code")
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    body: str = Field(description="paragraphs in order, separated by a blank line; no noise")
    images: list[Image] = Field(default_factory=list, description="lead image first")
    related: list[RelatedLink] = Field(
        default_factory=list, description="links to other articles found inside the content"
    )
    word_count: int = Field(ge=0)
    content_hash: str = Field(description="hex sha256 of the normalised body")
    fetched_at: str | None = Field(None, description="ISO 8601 UTC")
    source: str | None = Field(None, description="the configured source that found it")
    version: int | None = Field(
        None,
        ge=1,
        description="scheduled runs: 1 for an article's first record, n for its n-th changed body",
    )
    schema_version: Literal[1] = 1


class FetchResult(BaseModel):
    """What the fetcher hands on: the final URL and the undecoded body."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    url: str = Field(description="requested URL")
    final_url: str = Field(description="URL after redirects")
    status: int
    headers: dict[str, str] = Field(default_factory=dict)
    content: bytes
    content_type: str | None = None
    charset: str | None = None
    fetched_at: str


class Drop(NamedTuple):
    """One block or line that extraction dropped, and why (cheap: dumps drop hundreds)."""

    stage: str
    reason: str
    detail: str
    position: int | None = None  # line number in a text dump, block index in a page


class RuleHit(NamedTuple):
    """What one site rule did on one page: ``--explain`` says which fired and which fell back."""

    key: str  # content, drop, drop_text, title, ...
    rule: str  # the selector or pattern as written
    matched: int  # elements selected, or blocks and lines a pattern dropped
    note: str  # what came of it, e.g. "matched nothing: generic extraction"
    samples: tuple[str, ...] = ()  # the first texts it selected


class ExtractedPage(BaseModel):
    """What extraction found, before normalisation turns it into an Article."""

    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    paragraphs: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    related: list[RelatedLink] = Field(default_factory=list)
    dropped: list[Drop] = Field(default_factory=list)
    site_rules: list[RuleHit] = Field(default_factory=list)
