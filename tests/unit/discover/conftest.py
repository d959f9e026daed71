"""Hostile XML shared by the feed and sitemap tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def laughs_subset() -> str:
    """The internal DTD subset of a billion-laughs document: ``&l9;`` is 10**9 times "lol"."""
    refs = [f"&l{i - 1};" * 10 for i in range(1, 10)]
    levels = "".join(f'<!ENTITY l{i} "{ref}">' for i, ref in enumerate(refs, start=1))
    return f'<!ENTITY l0 "lol">{levels}'
