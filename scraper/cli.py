"""Command line: the only module that reads argv, prints, and picks exit codes."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import IO

import click

from scraper import api
from scraper._version import __version__
from scraper.config import FetchConfig
from scraper.errors import ScraperError
from scraper.models import Article

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _read_input(source: str, stdin: IO[bytes]) -> bytes:
    if source == "-":
        return stdin.read()
    path = Path(source)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ScraperError("no such file") from None
    except IsADirectoryError:
        raise ScraperError("is a directory") from None
    except OSError as exc:
        raise ScraperError(f"cannot read file: {exc.strerror}") from exc


def _input_format(source: str, chosen: str) -> str:
    if chosen != "auto":
        return chosen
    name = source.lower().removesuffix(".gz")
    return "text" if name.endswith((".txt", ".text")) else "html"


def _extract_one(
    source: str, *, url: str | None, fmt: str, fetch_config: FetchConfig, stdin: IO[bytes]
) -> Article:
    if _is_url(source):
        return api.extract_url(source, fetch_config)
    data = _read_input(source, stdin)
    if _input_format(source, fmt) == "text":
        return api.clean_text(data, url=url)
    return api.extract(data, url=url)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scraper")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Turn news and article pages into clean, structured article JSON."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbose == 0:
        # trafilatura logs every page it discards at WARNING; our errors say it better.
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--url", help="The page's URL, for saved pages: resolves links, feeds heuristics.")
@click.option("--pretty", is_flag=True, help="Indent the JSON (for a single input).")
@click.option(
    "--input-format",
    type=click.Choice(["auto", "html", "text"]),
    default="auto",
    show_default=True,
    help="auto: .txt files are text dumps, everything else HTML.",
)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per fetch.")
@click.option(
    "--max-bytes",
    type=int,
    default=10_000_000,
    show_default=True,
    help="Largest page body accepted, after decompression.",
)
@click.option("--user-agent", help="User-Agent header for fetches.")
@click.option(
    "--ignore-robots", is_flag=True, help="Do not consult robots.txt (your responsibility)."
)
@click.option(
    "--retries",
    type=int,
    default=3,
    show_default=True,
    help="Extra attempts on transient fetch failures.",
)
def extract(
    inputs: tuple[str, ...],
    url: str | None,
    pretty: bool,
    input_format: str,
    timeout: float,
    max_bytes: int,
    user_agent: str | None,
    ignore_robots: bool,
    retries: int,
) -> None:
    """Print the article of each INPUT (a URL, a file, .html.gz, or - for stdin) as JSON.

    Several inputs print one JSON object per line, in input order. A failed
    input prints 'error: INPUT: reason' on stderr; the others are still printed,
    and the exit status is 1.
    """
    if inputs.count("-") > 1:
        raise click.UsageError("stdin (-) can be read only once")
    settings: dict[str, object] = {
        "timeout": timeout,
        "max_bytes": max_bytes,
        "retries": retries,
        "respect_robots": not ignore_robots,
    }
    if user_agent:
        settings["user_agent"] = user_agent
    try:
        fetch_config = FetchConfig.model_validate(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc).splitlines()[-1]) from exc
    stdin = sys.stdin.buffer
    failed = 0
    for source in inputs:
        try:
            article = _extract_one(
                source, url=url, fmt=input_format, fetch_config=fetch_config, stdin=stdin
            )
        except ScraperError as exc:
            failed += 1
            click.echo(f"error: {source}: {exc}", err=True)
            continue
        indent = 2 if pretty and len(inputs) == 1 else None
        click.echo(json.dumps(article.model_dump(mode="json"), ensure_ascii=False, indent=indent))
    if failed:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the Article records."""
    document = Article.model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = "https://scraper.example/schema/article-v1.json"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="scraper")
