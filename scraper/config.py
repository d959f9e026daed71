"""Configuration tree, validated once and passed down explicitly."""

from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scraper._version import __version__
from scraper.errors import ConfigError

DEFAULT_USER_AGENT = (
    f"scraper/{__version__} (+https://github.com/scraper-project/scraper; news archiving bot)"
)


class FetchConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = Field(30.0, gt=0, description="seconds for the whole request")
    connect_timeout: float = Field(10.0, gt=0)
    max_bytes: int = Field(10_000_000, gt=0, description="decoded body size cap")
    max_redirects: int = Field(5, ge=0, le=5, description="hops followed, each one checked")
    retries: int = Field(3, ge=0, description="extra attempts on transient failures")
    backoff_base: float = Field(0.5, ge=0, description="seconds; doubled per attempt, jittered")
    backoff_max: float = Field(30.0, ge=0)
    max_retry_after: float = Field(600.0, ge=0, description="longest Retry-After honoured inline")
    respect_robots: bool = True
    per_host_delay: float = Field(1.0, ge=0)
    per_host_concurrency: int = Field(1, ge=1)
    concurrency: int = Field(32, ge=1)
    max_crawl_delay: float = Field(
        60.0, ge=0, description="longest robots.txt Crawl-delay honoured; beyond it, skip the host"
    )
    breaker_threshold: int = Field(
        5, ge=1, description="failed attempts in a row that back a whole host off"
    )
    breaker_cooldown: float = Field(
        60.0, ge=0, description="seconds a failing host is backed off; doubles while it fails"
    )
    headers: dict[str, str] = Field(
        default_factory=dict, description="extra request headers, never sent to another origin"
    )
    keep_cookies: bool = Field(False, description="keep cookies between pages of this fetcher")
    allow_private: list[str] = Field(
        default_factory=list, description="networks that may be fetched although private"
    )


class ExtractConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(30.0, gt=0, description="seconds per page before giving up")
    min_body_words: int = Field(0, ge=0)
    rules: str | None = Field(
        None,
        description="directory of per-site rule files, relative to the config file; "
        "unset: sites/ beside the config file, when there is one",
    )


REGEX_PREFIX = "re:"


def _check_urls(urls: list[str]) -> list[str]:
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
    return urls


class SourceConfig(BaseModel):
    """One ``[[sources]]`` entry: where to look for articles, and which URLs to keep."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[\w.-]+$", description="recorded in Article.source")
    feeds: list[str] = Field(default_factory=list, description="RSS, Atom or JSON Feed URLs")
    sitemaps: list[str] = Field(default_factory=list, description="sitemaps, indexes, .gz")
    pages: list[str] = Field(
        default_factory=list, description="listing pages: same-site links followed one level"
    )
    files: list[str] = Field(
        default_factory=list,
        description="globs of saved .html/.html.gz pages, relative to the config file",
    )
    include: list[str] = Field(
        default_factory=list, description="keep only URLs matching one (substring, or 're:REGEX')"
    )
    exclude: list[str] = Field(default_factory=list, description="drop URLs matching any")
    discover_sitemaps: bool = Field(
        False, description="also read the Sitemap: lines of robots.txt of the source's sites"
    )

    _urls = field_validator("feeds", "sitemaps", "pages")(_check_urls)

    @field_validator("include", "exclude")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if pattern.startswith(REGEX_PREFIX):
                try:
                    re.compile(pattern.removeprefix(REGEX_PREFIX))
                except re.error as exc:
                    raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
        return patterns

    @model_validator(mode="after")
    def _has_somewhere_to_look(self) -> SourceConfig:
        if not (self.feeds or self.sitemaps or self.pages or self.files):
            raise ValueError("a source needs at least one of feeds, sitemaps, pages, files")
        return self


class OutputConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["jsonl", "parquet"] = Field(
        "jsonl", description="parquet: also write a Parquet file per run (JSONL is always kept)"
    )
    warc: bool = Field(
        False, description="also archive every fetched page as WARC records in DATA/warc/"
    )


class RunConfig(BaseModel):
    """Knobs of a scheduled run that are not about talking to servers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extract_processes: int = Field(
        0, ge=0, description="processes extracting articles; 0 means one per CPU core"
    )
    max_sitemap_depth: int = Field(3, ge=0, description="sitemap index nesting followed")
    max_pages: int = Field(0, ge=0, description="pages fetched per run at most; 0: no limit")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fetch: FetchConfig = FetchConfig()
    extract: ExtractConfig = ExtractConfig()
    run: RunConfig = RunConfig()
    output: OutputConfig = OutputConfig()
    sources: list[SourceConfig] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[SourceConfig]) -> list[SourceConfig]:
        names = [s.name for s in sources]
        if duplicated := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"source names must be unique: {', '.join(duplicated)}")
        return sources

    @model_validator(mode="after")
    def _networks_parse(self) -> Config:
        for spec in self.fetch.allow_private:
            try:
                ipaddress.ip_network(spec, strict=False)
            except ValueError as exc:
                raise ValueError(f"fetch.allow_private: {exc}") from exc
        return self


def _resolve_files(config: Config, base: Path) -> Config:
    """File globs and the rules directory are relative to the config file, so a config works
    from any directory; ``sites/`` beside it is the rules directory unless one is named."""
    sources = [
        s.model_copy(update={"files": [str(base / pattern) for pattern in s.files]})
        if s.files
        else s
        for s in config.sources
    ]
    rules = config.extract.rules
    if rules is not None or (base / "sites").is_dir():
        extract = config.extract.model_copy(update={"rules": str(base / (rules or "sites"))})
        config = config.model_copy(update={"extract": extract})
    return config.model_copy(update={"sources": sources})


def read_toml(path: Path, what: str = "config") -> dict[str, Any]:
    """A TOML file as a dict; a file that cannot be read or parsed is a one-line ConfigError."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def load_config(path: Path) -> Config:
    raw = read_toml(path)
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _where(raw, first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{path}: {where}: {message}" if where else f"{path}: {message}") from exc
    return _resolve_files(config, path.parent)


def _where(raw: dict[str, object], loc: tuple[int | str, ...]) -> str:
    """The key path of an error as a user finds it in the file: ``sources[2] (name).feeds[0]``."""
    out = ""
    node: object = raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            if isinstance(node, list) and part < len(node):
                node = node[part]
                if isinstance(node, dict) and isinstance(node.get("name"), str):
                    out += f" ({node['name']})"
                continue
        else:
            out += f".{part}" if out else part
        node = node.get(part) if isinstance(node, dict) else None
    return out
