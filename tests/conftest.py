"""Shared fixtures: the hand-built pages with their expectations, and the JSON Schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import respx

from scraper.models import Article

# ``respx.mock`` intercepts httpcore's pools; scraper's own pool takes their place
# (scraper/fetch/transport.py), so it is mocked the same way.
respx.mocks.HTTPCoreMocker.add_targets("scraper.fetch.transport.ConnectionPool")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"


@dataclass(frozen=True)
class PageFixture:
    name: str
    html_path: Path
    expected: dict[str, Any]

    @property
    def url(self) -> str | None:
        url = self.expected.get("url")
        return str(url) if url else None


def page_fixtures() -> list[PageFixture]:
    out = []
    for path in sorted((FIXTURES / "expected").glob("*.json")):
        html = FIXTURES / "html" / f"{path.stem}.html"
        out.append(PageFixture(path.stem, html, json.loads(path.read_text(encoding="utf-8"))))
    return out


@cache
def article_schema() -> dict[str, Any]:
    return Article.model_json_schema(mode="serialization")


def assert_valid_record(record: dict[str, Any]) -> None:
    """Every emitted record must validate against the published schema."""
    import jsonschema

    jsonschema.validate(record, article_schema())


@pytest.fixture
def sample_dir() -> Path:
    return REPO / "scraper" / "samples"
