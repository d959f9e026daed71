"""Command line: the only module that reads argv, prints, and picks exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Literal
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scraper import api, bulk, corpus, pipeline
from scraper._version import __version__
from scraper.config import FetchConfig, load_config
from scraper.discover.links import listing_links
from scraper.errors import ConfigError, LockedError, ScraperError
from scraper.explain import check_report, explain_report, rules_status
from scraper.fetch import fetch_url
from scraper.models import Article
from scraper.progress import BarProgress, LogProgress
from scraper.rules import (
    DEFAULT_RULES_DIR,
    RuleBook,
    default_rules_dir,
    load_rule_file,
    load_rules,
    rule_files,
)
from scraper.sinks import DataDir
from scraper.sinks.warc import WarcSink

EXIT_INPUT_FAILED = 1
EXIT_RUN_FAILED = 1
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is busy; cron tries again next time
EXIT_INTERRUPTED = 130


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
    source: str,
    *,
    url: str | None,
    fmt: str,
    fetch_config: FetchConfig,
    stdin: IO[bytes],
    rules: RuleBook | None,
) -> api.Explanation:
    if _is_url(source):
        return api.explain_url(source, fetch_config, rules=rules)
    data = _read_input(source, stdin)
    if _input_format(source, fmt) == "text":
        return api.explain_text(data, url=url, rules=rules)
    return api.explain(data, url=url, rules=rules)


def _rule_book(directory: Path | None, *, off: bool = False) -> RuleBook | None:
    """The rules of ``directory`` (default: config/sites, if there is one); exits on a bad file."""
    directory = None if off else directory or default_rules_dir()
    if directory is None:
        return None
    try:
        return load_rules(directory)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)


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
@click.option(
    "--jsonl-field",
    metavar="NAME",
    help="Inputs are JSONL corpora: clean field NAME of every record (streaming, all cores).",
)
@click.option(
    "--in-place-field",
    is_flag=True,
    help="With --jsonl-field: write the input records with that field cleaned, not Articles.",
)
@click.option(
    "--workers", type=int, default=None, help="With --jsonl-field: processes (default: cores)."
)
@click.option(
    "--explain",
    is_flag=True,
    help="Also say on stderr why each dropped block or line went, and which site rules fired.",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=f"Per-site rule files (*.toml). [default: {DEFAULT_RULES_DIR}, if it exists]",
)
@click.option("--no-rules", is_flag=True, help="Generic extraction only: ignore site rules.")
@click.option(
    "--warc",
    is_flag=True,
    help="Inputs are WARC/ARC files or quoted globs: an Article per HTML response record.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="With --warc: run here (processes) or on a Dask cluster (pip install 'scraper[dask]').",
)
@click.option(
    "--scheduler",
    default="local",
    show_default=True,
    help="With --engine dask: a scheduler address (tcp://host:8786), or local for a "
    "LocalCluster of --workers processes.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="With --warc: write a shard per input here (NAME.jsonl, NAME.rejects.jsonl, NAME.done) "
    "instead of stdout; complete shards are skipped on a rerun.",
)
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help="With --out: the shards' format.",
)
@click.option(
    "--range-mb",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help="With --warc: cut .warc.gz files over this size into ranges of it, a task each (0: no).",
)
@click.option(
    "--page-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="With --warc or --jsonl-field: seconds one page or record may take to extract.",
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
    jsonl_field: str | None,
    in_place_field: bool,
    workers: int | None,
    explain: bool,
    rules_dir: Path | None,
    no_rules: bool,
    warc: bool,
    engine: str,
    scheduler: str,
    out_dir: Path | None,
    out_format: Literal["jsonl", "parquet"],
    range_mb: float,
    page_timeout: float,
) -> None:
    """Print the article of each INPUT (a URL, a file, .html.gz, or - for stdin) as JSON.

    Several inputs print one JSON object per line, in input order. A failed
    input prints 'error: INPUT: reason' on stderr; the others are still printed,
    and the exit status is 1. With --explain, stdout is unchanged and stderr
    lists every dropped block or line with its stage and reason, and what each
    site rule did.

    With --warc, INPUTS are WARC or ARC files (or quoted globs): every HTML
    response record becomes an Article, with --engine local or dask, to stdout
    or to a shard per input under --out. Unreadable records are counted and
    listed with their offset; the summary ends the output (on stderr without
    --out).
    """
    if warc:
        if explain or jsonl_field or in_place_field or url or pretty:
            raise click.UsageError(
                "--warc does not take --explain, --jsonl-field, --in-place-field, --url or --pretty"
            )
        if engine == "local" and scheduler != "local":
            raise click.UsageError("--scheduler needs --engine dask")
        options = bulk.Options(
            out=str(out_dir.resolve()) if out_dir else "",
            format=out_format,
            timeout=page_timeout,
            max_bytes=max_bytes,
            rules=_rule_book(rules_dir, off=no_rules),
        )
        _extract_warc(inputs, options, engine, scheduler, workers, int(range_mb * 1_000_000))
        return
    if engine != "local" or out_dir or range_mb:
        raise click.UsageError("--engine, --out and --range-mb work with --warc")
    if inputs.count("-") > 1:
        raise click.UsageError("stdin (-) can be read only once")
    if jsonl_field and explain:
        raise click.UsageError("--explain works on pages and dumps, not --jsonl-field corpora")
    if jsonl_field:
        _extract_corpora(inputs, jsonl_field, input_format, in_place_field, workers, page_timeout)
        return
    if in_place_field:
        raise click.UsageError("--in-place-field needs --jsonl-field")
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
    book = _rule_book(rules_dir, off=no_rules)
    stdin = sys.stdin.buffer
    failed = 0
    for source in inputs:
        try:
            found = _extract_one(
                source,
                url=url,
                fmt=input_format,
                fetch_config=fetch_config,
                stdin=stdin,
                rules=book,
            )
            if explain:
                report = explain_report(source, found, rules_status(book, found))
                click.echo("\n".join(report), err=True)
            article = api.article_of(found)
        except ScraperError as exc:
            failed += 1
            click.echo(f"error: {source}: {exc}", err=True)
            continue
        indent = 2 if pretty and len(inputs) == 1 else None
        click.echo(json.dumps(article.model_dump(mode="json"), ensure_ascii=False, indent=indent))
    if failed:
        sys.exit(EXIT_INPUT_FAILED)


def _extract_warc(
    inputs: tuple[str, ...],
    options: bulk.Options,
    engine: str,
    scheduler: str,
    workers: int | None,
    range_bytes: int,
) -> None:
    """Archives in, shards (or stdout) out; the summary at the end, exit 1 if a task failed."""
    if "-" in inputs:
        raise click.UsageError("--warc reads files, not stdin")
    to_stdout = not options.out
    if to_stdout and engine == "dask":
        raise click.UsageError(
            "--engine dask writes shards: give --out DIR (a directory every worker can write)"
        )
    if to_stdout and options.format == "parquet":
        raise click.UsageError("--format parquet needs --out DIR")
    try:
        tasks = bulk.plan(bulk.expand(list(inputs)), range_bytes)
    except ScraperError as exc:
        raise click.UsageError(str(exc)) from exc
    with contextlib.ExitStack() as stack:
        if to_stdout:
            options = replace(options, out=stack.enter_context(tempfile.TemporaryDirectory()))
        try:
            if engine == "dask":
                bulk.load_dask()
                if not logging.getLogger("scraper").isEnabledFor(logging.INFO):
                    logging.getLogger("distributed").setLevel(logging.WARNING)  # start-up chatter
                outcomes = bulk.run_dask(tasks, options, scheduler, workers)
            else:
                outcomes = bulk.run_local(tasks, options, workers)
            totals = _drain_outcomes(tasks, outcomes, options, to_stdout)
        except ScraperError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INPUT_FAILED)
        except OSError as exc:  # the scheduler cannot be reached
            click.echo(f"error: {scheduler}: {exc}", err=True)
            sys.exit(EXIT_INPUT_FAILED)
        except KeyboardInterrupt:
            click.echo("interrupted; run it again to go on (complete shards are skipped)", err=True)
            sys.exit(EXIT_INTERRUPTED)
    for failed in totals.failed:
        click.echo(f"error: {failed.task.path}: {failed.error}", err=True)
    for line in totals.lines():
        click.echo(line, err=to_stdout)
    if totals.failed:
        sys.exit(EXIT_INPUT_FAILED)


def _drain_outcomes(
    tasks: list[bulk.Task], outcomes: Iterator[bulk.Outcome], options: bulk.Options, stdout: bool
) -> bulk.Totals:
    """Count the outcomes as they come, with a bar on a terminal; with ``stdout``, print each
    shard (and its rejects, on stderr) as soon as it and all shards before it are done."""
    totals = bulk.Totals(len(tasks))
    waiting = {task.shard: task for task in tasks}
    order = [task.shard for task in tasks]
    finished: set[str] = set()
    bar = Progress(
        TextColumn("[bold]extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles {task.fields[articles]}  rejected {task.fields[rejected]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
    )
    with bar:
        line = bar.add_task("extract", total=len(tasks), articles=0, rejected=0)
        for outcome in outcomes:
            totals.add(outcome)
            bar.update(line, advance=1, articles=totals.articles, rejected=totals.rejected.total())
            finished.add(outcome.shard)
            while stdout and order and order[0] in finished:
                _print_shard(waiting.pop(order.pop(0)), options)
    return totals


def _print_shard(task: bulk.Task, options: bulk.Options) -> None:
    articles, rejects, _ = bulk.shard_files(Path(options.out), task.shard, options.format)
    if articles.exists():
        with articles.open("rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    if rejects.exists():
        for raw in rejects.read_text(encoding="utf-8").splitlines():
            record = json.loads(raw)
            where = f"{record['file']}@{record['offset']}"
            url = f" ({record['url']})" if record["url"] else ""
            click.echo(f"error: {where}{url}: {record['reason']}: {record['detail']}", err=True)


def _extract_corpora(
    inputs: tuple[str, ...],
    field: str,
    input_format: str,
    in_place: bool,
    workers: int | None,
    timeout: float,
) -> None:
    """JSONL in, JSONL out, one line per record; bad records reported by line number."""
    fmt: corpus.Format = "html" if input_format == "html" else "text"
    job = corpus.CorpusJob(field=field, input_format=fmt, in_place=in_place, timeout=timeout)
    failed = 0
    for source in inputs:
        try:
            handle = (
                io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
                if source == "-"
                else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
            )
        except OSError as exc:
            failed += 1
            click.echo(f"error: {source}: cannot read file: {exc.strerror}", err=True)
            continue
        with handle:
            for result in corpus.clean_corpus(handle, job, workers=workers):
                if result.output is not None:
                    click.echo(result.output)
                else:
                    failed += 1
                    click.echo(f"error: {source}:{result.line}: {result.error}", err=True)
    if failed:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the Article records."""
    document = Article.model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = "https://scraper.example/schema/article-v1.json"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@cli.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("config/sources.toml"),
    show_default=True,
    help="The sources and settings (TOML).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("data"),
    show_default=True,
    help="The dataset: articles/, rejects/, state.sqlite.",
)
@click.option("--refresh", is_flag=True, help="Fetch known pages again (conditionally).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "parquet"]),
    default=None,
    help="parquet: also write the run's articles as Parquet. [default: from config, jsonl]",
)
@click.option(
    "--warc",
    "archive",
    is_flag=True,
    help="Also archive every fetched page in DATA/warc/*.warc.gz. [default: from config, off]",
)
@click.pass_context
def run(
    ctx: click.Context,
    config_path: Path,
    data_dir: Path,
    refresh: bool,
    output_format: Literal["jsonl", "parquet"] | None,
    archive: bool,
) -> None:
    """Bring the dataset up to date with the configured sources (made for cron).

    Exit status 0 when the run completed, even if some URLs failed (see the
    summary and DATA/rejects/); 1 when the run could not work (bad config,
    unusable data directory); 75 when another run holds the data directory.
    """
    scraper_log = logging.getLogger("scraper")
    if scraper_log.getEffectiveLevel() > logging.INFO:
        scraper_log.setLevel(logging.INFO)
    on_terminal = sys.stderr.isatty()
    warc: WarcSink | None = None
    try:
        config = load_config(config_path)
        if archive or config.output.warc:
            warc = WarcSink(data_dir / "warc", user_agent=config.fetch.user_agent)
        with BarProgress() if on_terminal else contextlib.nullcontext(LogProgress()) as progress:
            stats = pipeline.run(
                config,
                data_dir,
                refresh=refresh,
                output_format=output_format,
                progress=progress,
                archive=warc.write if warc else None,
            )
        if warc is not None:
            warc.close()  # before the summary: it may fail, and its files are the run's output
    except LockedError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except ScraperError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_RUN_FAILED)
    except KeyboardInterrupt:
        click.echo("interrupted; the next run picks up where this one stopped", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if warc is not None:
            with contextlib.suppress(ScraperError):  # already said, or the run's error matters more
                warc.close()
    click.echo(f"run completed: {stats.summary()}")
    if reasons := stats.reasons_line():
        click.echo(reasons)
    if removed := stats.removed_line():
        click.echo(removed)
    if warc is not None:
        pages, files = warc.pages, len(warc.files)
        click.echo(
            f"archived {pages} page{'s' * (pages != 1)} in {files} WARC file{'s' * (files != 1)}"
        )


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("data"),
    show_default=True,
    help="The dataset written by `scraper run`.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The Parquet file to write. [default: DATA/articles.parquet]",
)
@click.option("--latest", is_flag=True, help="Only the last version of each article.")
def export(data_dir: Path, output: Path | None, latest: bool) -> None:
    """Write the JSONL dataset as one Parquet file (same columns)."""
    from scraper.sinks.parquet import export_parquet  # pyarrow only for this command

    data = DataDir(data_dir)
    target = output or data_dir / "articles.parquet"
    try:
        count = export_parquet(data.article_files(), target, latest=latest)
    except (ScraperError, OSError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_RUN_FAILED)
    click.echo(f"wrote {count} articles to {target}")


@cli.group()
def rules() -> None:
    """Per-site rules (config/sites/*.toml): check them, and see what they select."""


@rules.command("check")
@click.argument(
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_RULES_DIR,
    required=False,
)
@click.option("--url", help="Fetch this page (or, with --file, name its URL) and apply its rules.")
@click.option(
    "--file",
    "page_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A saved page to apply the rules to (its site: --url, else its canonical link).",
)
def rules_check(directory: Path, url: str | None, page_file: Path | None) -> None:
    """Validate every rule file in DIRECTORY [default: config/sites].

    With --url or --file, show what each rule of the page's site selects on it.
    Exit status 1 when a file is invalid or no rules apply to the page.
    """
    try:
        paths = rule_files(directory)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    bad = 0
    for path in paths:
        try:
            sites = load_rule_file(path)
        except ConfigError as exc:
            bad += 1
            click.echo(f"error: {exc}", err=True)
            continue
        count = sum(len(list(s.rules())) for s in sites.values())
        names = ", ".join(sites) or "no domain tables"
        click.echo(f"ok: {path}: {names} ({count} rule{'' if count == 1 else 's'})")
    if not paths:
        click.echo(f"no rule files (*.toml) in {directory}")
    try:
        book = load_rules(directory)  # a domain must also be in one file only
    except ConfigError as exc:
        if not bad:
            click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    if url or page_file:
        _check_page(book, url, page_file)


def _check_page(book: RuleBook, url: str | None, page_file: Path | None) -> None:
    try:
        if page_file is None:
            assert url is not None
            result = fetch_url(url, FetchConfig())
            data, url, charset = result.content, result.final_url, result.charset
        else:
            data, charset = _read_input(str(page_file), sys.stdin.buffer), None
            url = url or api.explain(data).page.canonical_url
        site = book.for_url(url)
        if site is None:
            where = urlsplit(url).hostname if url else "the page (no --url, no canonical link)"
            click.echo(f"error: no rules in {book.directory} apply to {where}", err=True)
            sys.exit(EXIT_INPUT_FAILED)
        found = api.explain(data, url, charset=charset, rules=site)
    except ScraperError as exc:
        click.echo(f"error: {page_file or url}: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    follow = None
    if site.follow and url:
        follow = listing_links(data, url, charset, site.follow_patterns)
    click.echo("\n".join(check_report(url, found, follow)))


def main() -> None:
    cli(prog_name="scraper")
