"""Configuration tree, validated once and passed down explicitly."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    max_redirects: int = Field(10, ge=0)
    retries: int = Field(3, ge=0, description="extra attempts on transient failures")
    backoff_base: float = Field(0.5, ge=0, description="seconds; doubled per attempt, jittered")
    backoff_max: float = Field(30.0, ge=0)
    max_retry_after: float = Field(600.0, ge=0, description="longest Retry-After honoured inline")
    respect_robots: bool = True
    per_host_delay: float = Field(1.0, ge=0)
    per_host_concurrency: int = Field(1, ge=1)
    concurrency: int = Field(32, ge=1)
    allow_private: list[str] = Field(
        default_factory=list, description="networks that may be fetched although private"
    )


class ExtractConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(30.0, gt=0, description="seconds per page before giving up")
    min_body_words: int = Field(0, ge=0)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fetch: FetchConfig = FetchConfig()
    extract: ExtractConfig = ExtractConfig()


def load_config(path: Path) -> Config:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from exc
