"""The sources config: validated once, errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import load_config
from scraper.errors import ConfigError
from tests.conftest import REPO


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[[sources]]\nname = "a"\n', "sources[0] (a): a source needs at least one of"),
        ('[[sources]]\nname = "a"\nfeeds = ["feed.xml"]\n', "sources[0] (a).feeds: not an http"),
        (
            '[[sources]]\nname = "a"\npages = ["https://x.example/"]\ninclude = ["re:("]\n',
            "sources[0] (a).include: bad regex 're:('",
        ),
        ('[[sources]]\nname = "a"\nfiles = ["*.html"]\nfeed = ["x"]\n', "sources[0] (a).feed:"),
        ('[[sources]]\nname = "a b"\nfiles = ["*.html"]\n', "sources[0] (a b).name:"),
        ('[output]\nformat = "csv"\n', "output.format:"),
        ('[fetch]\nallow_private = ["not-a-network"]\n', "fetch.allow_private"),
        (
            '[[sources]]\nname = "a"\nfiles = ["x"]\n[[sources]]\nname = "a"\nfiles = ["y"]\n',
            "sources: source names must be unique: a",
        ),
        ("[[sources]\n", "invalid TOML"),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: {where}")
    assert "\n" not in str(caught.value)


def test_file_globs_are_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\nname = "saved"\nfiles = ["pages/*.html"]\n')
    [source] = load_config(path).sources
    assert source.files == [str(tmp_path / "pages" / "*.html")]


@pytest.mark.parametrize("name", ["demo.toml", "sources.toml"])
def test_bundled_configs_are_valid(name: str) -> None:
    config = load_config(REPO / "config" / name)
    assert config.sources
