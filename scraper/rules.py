"""Per-site rules: a few lines of TOML that fix one site without touching code.

Generic extraction is the default; a rule is the user's word about one site
(its article container, a "Read also" box, a standfirst in an odd element).
Rule files are validated when loaded, so a typo or a selector that could
stall extraction stops at once with the file, the domain and the key, not
page by page. This module only loads, checks and looks rules up; applying
them to a page is ``scraper.extract.siterules``; what a rule may cost is
``scraper.rulecheck``. It sits at the config layer because discovery
(``follow``) and extraction both read it.

Finding a page's rules is one dict lookup per label of its host, so pages of
sites without rules pay nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, PrivateAttr, ValidationError

from scraper.config import read_toml
from scraper.errors import ConfigError
from scraper.rulecheck import check_pattern, check_selector

DEFAULT_RULES_DIR = Path("config/sites")
METADATA_KEYS = ("title", "description", "authors", "published", "modified", "section", "tags")
RULE_KEYS = ("content", "drop", "drop_text", *METADATA_KEYS, "follow")

_ATTR_SUFFIX = re.compile(r"^(?P<css>.*\S)\s*@(?P<attr>[A-Za-z_:][\w:.-]*)$", re.DOTALL)
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


def split_attr(rule: str) -> tuple[str, str | None]:
    """``"time[itemprop=datePublished]@datetime"`` -> the CSS part and the attribute."""
    match = _ATTR_SUFFIX.match(rule.strip())
    if match is None or match["css"].count("[") != match["css"].count("]"):
        return rule.strip(), None  # an @ inside an attribute test, e.g. [href^="mailto:a@b"]
    return match["css"], match["attr"]


def _selector_rule(value: str) -> str:
    css, _ = split_attr(value)
    check_selector(css)
    return value.strip()


def _element_rule(value: str) -> str:
    if split_attr(value)[1] is not None:
        raise ValueError(f"{value!r}: @attribute is only for metadata keys (title, authors, ...)")
    return check_selector(value)


Selector = Annotated[str, AfterValidator(_element_rule)]
MetadataSelector = Annotated[str, AfterValidator(_selector_rule)]
Pattern = Annotated[str, AfterValidator(check_pattern)]


class SiteRules(BaseModel):
    """One domain's table. ``domain`` and ``origin`` are filled in by the loader."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    domain: str = ""
    origin: str = ""
    content: Selector | None = None
    drop: tuple[Selector, ...] = ()
    drop_text: tuple[Pattern, ...] = ()
    title: MetadataSelector | None = None
    description: MetadataSelector | None = None
    authors: MetadataSelector | None = None
    published: MetadataSelector | None = None
    modified: MetadataSelector | None = None
    section: MetadataSelector | None = None
    tags: MetadataSelector | None = None
    follow: tuple[Pattern, ...] = ()

    _drop_text: tuple[re.Pattern[str], ...] = PrivateAttr(default=())
    _follow: tuple[re.Pattern[str], ...] = PrivateAttr(default=())

    def model_post_init(self, context: Any) -> None:
        self._drop_text = tuple(re.compile(p) for p in self.drop_text)
        self._follow = tuple(re.compile(p) for p in self.follow)

    @property
    def drop_text_patterns(self) -> tuple[re.Pattern[str], ...]:
        return self._drop_text

    @property
    def follow_patterns(self) -> tuple[re.Pattern[str], ...]:
        return self._follow

    @property
    def where(self) -> str:
        """Where the rules were written, as a user finds them: ``FILE ["domain"]``."""
        return f'{self.origin} ["{self.domain}"]'

    def rules(self) -> Iterator[tuple[str, str]]:
        """(key, selector or pattern) for every rule set, in file order of the keys."""
        for key in RULE_KEYS:
            value = getattr(self, key)
            if isinstance(value, str):
                yield key, value
            elif value:
                yield from ((key, item) for item in value)


@dataclass(frozen=True)
class RuleBook:
    """Every site's rules, by domain; ``for_url`` picks the most specific table."""

    sites: Mapping[str, SiteRules] = field(default_factory=dict)
    directory: Path | None = None

    def __bool__(self) -> bool:
        return bool(self.sites)

    def for_url(self, url: str | None) -> SiteRules | None:
        """The rules of ``url``'s host, else of its parent domains, nearest first."""
        if not url or not self.sites:
            return None
        host = host_key(urlsplit(url).hostname or "")
        while host:
            if (rules := self.sites.get(host)) is not None:
                return rules
            host = host.partition(".")[2]
        return None

    def follow_for(self, url: str) -> tuple[re.Pattern[str], ...]:
        """The ``follow`` patterns for links on the listing page at ``url`` (may be none)."""
        rules = self.for_url(url)
        return rules.follow_patterns if rules is not None else ()


def host_key(host: str) -> str:
    """A host as rule tables are keyed: lower case, no trailing dot, IDNA-encoded."""
    host = host.strip().rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return host
    return host


def load_rule_file(path: Path) -> dict[str, SiteRules]:
    """The tables of one rule file, each validated; ConfigError names file, domain and key."""
    raw = read_toml(path, "rules")
    sites: dict[str, SiteRules] = {}
    for name, table in raw.items():
        domain = host_key(name)
        if not isinstance(table, dict):
            raise ConfigError(
                f'{path}: {name}: expected a table of rules for a domain, like ["example.org"]'
            )
        if not _DOMAIN.match(domain):
            raise ConfigError(
                f'{path}: ["{name}"]: not a domain; write a host such as "example.org" '
                "(no scheme, path, port or wildcard)"
            )
        if unknown := [key for key in table if key not in RULE_KEYS]:
            key = unknown[0]
            close = difflib.get_close_matches(key, RULE_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(RULE_KEYS)})"
            raise ConfigError(f'{path}: ["{name}"].{key}: unknown key{hint}')
        try:
            sites[domain] = SiteRules.model_validate(
                {**table, "domain": domain, "origin": str(path)}
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise ConfigError(f'{path}: ["{name}"]{where}: {message}') from exc
    return sites


def rule_files(directory: Path) -> list[Path]:
    """The ``*.toml`` files of a rules directory, in name order."""
    if not directory.is_dir():
        raise ConfigError(f"{directory}: no such rules directory")
    return sorted(p for p in directory.glob("*.toml") if p.is_file())


def load_rules(directory: str | PathLike[str]) -> RuleBook:
    """Every rule file in ``directory``; a domain may be described in one file only."""
    directory = Path(directory)
    sites: dict[str, SiteRules] = {}
    for path in rule_files(directory):
        for domain, rules in load_rule_file(path).items():
            if (earlier := sites.get(domain)) is not None:
                raise ConfigError(
                    f'{path}: ["{domain}"]: rules for this domain are already in {earlier.origin}'
                )
            sites[domain] = rules
    return RuleBook(sites, directory)


def default_rules_dir(base: Path | None = None) -> Path | None:
    """``config/sites`` (below ``base``, else the working directory) if it exists."""
    candidate = (base or Path()) / DEFAULT_RULES_DIR
    return candidate if candidate.is_dir() else None
