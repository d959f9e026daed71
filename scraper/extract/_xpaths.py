"""trafilatura's XPath rules, each regular-expression test asked only of elements that
carry the attribute it reads.

lxml runs EXSLT ``re:test`` through a Python callback for every element it is asked
about, attribute or not: on an element without the attribute the test reads "", which
none of these patterns can match. Guarding each test with ``@attr and`` leaves the
selected elements as they were and spares most of the callbacks (a third of the time
of trafilatura's discard rules on the aeb-dev pages).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from lxml.etree import XPath
from trafilatura import external, main_extractor, xpaths

_REGEXP_NS = "http://exslt.org/regular-expressions"

# re:test(@id|@class, 'pattern'[, 'flags']): XPath 1.0 literals hold no quote of their own kind
_RE_TEST = re.compile(r"re:test\((@[\w-]+(?:\|@[\w-]+)*), '([^']*)'(?:, '(\w*)')?\)")


def _guard(match: re.Match[str]) -> str:
    attributes, pattern, flags = match.group(1), match.group(2), match.group(3) or ""
    if re.search(pattern, "", re.IGNORECASE if "i" in flags else 0):
        return match.group(0)  # it matches an absent attribute too: left as it is
    present = " or ".join(attributes.split("|"))
    return f"(({present}) and {match.group(0)})"


def guarded(expressions: list[XPath]) -> list[XPath]:
    """The same rules, each ``re:test`` asked only where its attribute is present."""
    return [
        XPath(_RE_TEST.sub(_guard, expression.path), namespaces={"re": _REGEXP_NS})
        for expression in expressions
    ]


# the rule lists trafilatura's stages read (as module globals) while they extract; its other
# lists test no regular expression, or serve options (comments, precision) never set here
_RULES = (
    (main_extractor, "BODY_XPATH"),
    (main_extractor, "OVERALL_DISCARD_XPATH"),
    (external, "OVERALL_DISCARD_XPATH"),
)
_GUARDED = [guarded(getattr(xpaths, name)) for _, name in _RULES]


@contextmanager
def guarded_rules() -> Iterator[None]:
    """trafilatura's extraction with the guarded rules, put back afterwards: a plain
    ``trafilatura.extract`` elsewhere in the process keeps its own."""
    saved = [getattr(module, name) for module, name in _RULES]
    for (module, name), rules in zip(_RULES, _GUARDED, strict=True):
        setattr(module, name, rules)
    try:
        yield
    finally:
        for (module, name), rules in zip(_RULES, saved, strict=True):
            setattr(module, name, rules)
