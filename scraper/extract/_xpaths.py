"""trafilatura's XPath rules, rewritten to select the same elements at less cost.

Two mechanical rewrites, each leaving the selected elements as they were:

- lxml runs EXSLT ``re:test`` through a Python callback for every element it is asked
  about, attribute or not: on an element without the attribute the test reads "", which
  none of these patterns can match. Guarding each test with ``@attr and`` spares most of
  the callbacks (a third of the time of trafilatura's discard rules on the aeb-dev pages),
  and handing it ``string(@attr)`` (the value the test reads from the node-set anyway)
  spares lxml building a result object per call.
- ``.//*[self::div or self::p][P]`` asks the name test as a predicate of every element in
  the tree; ``descendant::div[P] | descendant::p[P]`` leaves it to the axis walk, in C, and
  asks ``P`` only of the named elements (a third to a half of such a rule's time). This
  holds while ``P`` does not depend on position, which the rewrite checks. Where only the
  first element counts, ``descendant::div[P][1]`` asks ``P`` only up to the first match
  (libxml2 still walks the whole axis).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from lxml.etree import Element, XPath, XPathError
from trafilatura import main_extractor, xpaths

_REGEXP_NS = "http://exslt.org/regular-expressions"

# re:test(@id|@class, 'pattern'[, 'flags']): XPath 1.0 literals hold no quote of their own kind
_RE_TEST = re.compile(r"re:test\((@[\w-]+(?:\|@[\w-]+)*), '([^']*)'(?:, '(\w*)')?\)")

# a rule that starts by testing the element's name: (.//*[self::a or self::b ...]
_NAMED = re.compile(r"\s*(\(?)\.//\*\[((?:self::[\w-]+ or )*self::[\w-]+)\]")
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")


def _guard(match: re.Match[str]) -> str:
    attributes, pattern, flags = match.group(1), match.group(2), match.group(3) or ""
    test = f"re:test(string({attributes}), {match.group(0).partition(', ')[2]}"
    if re.search(pattern, "", re.IGNORECASE if "i" in flags else 0):
        return test  # it matches an absent attribute too: asked of every element
    present = " or ".join(attributes.split("|"))
    return f"(({present}) and {test})"


def _predicates(text: str) -> tuple[list[str], str] | None:
    """The bracketed predicates ``text`` starts with, and what follows them; None where a
    bracket does not close."""
    blanked = _LITERAL.sub(lambda m: "_" * len(m.group(0)), text)  # brackets in a literal
    out: list[str] = []
    at = len(blanked) - len(blanked.lstrip())
    while at < len(blanked) and blanked[at] == "[":
        depth = 0
        for end in range(at, len(blanked)):
            depth += {"[": 1, "]": -1}.get(blanked[end], 0)
            if depth == 0:
                break
        else:
            return None
        out.append(text[at + 1 : end])
        after = blanked[end + 1 :]
        at = end + 1 + len(after) - len(after.lstrip())
    return out, text[at:]


# position() and last() read the context's position and size: counted wherever they stand,
# conservatively, inside a nested step too
_POSITION = re.compile(r"\b(?:position|last)\s*\(")
_PROBE = Element("probe")


def _positional(predicate: str) -> bool:
    """Whether ``predicate`` might select by position: it reads position() or last(), or its
    value is a number, which XPath compares with the position (``[2]``, ``[count(p)]``,
    ``[@n div @d]``). An XPath 1.0 expression's type follows from its form, so one evaluation
    on a bare element tells; one that cannot be evaluated alone (a variable, a function of
    another namespace) counts as positional."""
    if _POSITION.search(_LITERAL.sub("''", predicate)):
        return True
    try:
        value = XPath(predicate, namespaces={"re": _REGEXP_NS})(_PROBE)
    except XPathError:
        return True
    return isinstance(value, float)


def by_name(path: str, *, first_only: bool = False) -> str:
    """``path`` with a leading element-name test moved into the axis walk, or ``path`` as it
    is where that could change what it selects. ``first_only``: the caller reads the first
    element alone, so ``.//*[...][P][1]`` (the first match under each parent) may become
    the first match in the document, which is that list's first element."""
    match = _NAMED.match(path)
    if match is None:
        return path
    split = _predicates(path[match.end() :])
    if split is None:
        return path
    predicates, rest = split
    if match.group(1):  # (.//*[...][P])[1]
        closing = _predicates(rest.strip()[1:]) if rest.strip().startswith(")") else None
        if closing is None or closing[1].strip() or [p.strip() for p in closing[0]] != ["1"]:
            return path
        first = True
    elif rest.strip():
        return path
    else:
        first = first_only and bool(predicates) and predicates[-1].strip() == "1"
        if first:
            predicates = predicates[:-1]
    if any(_positional(p) for p in predicates):
        return path
    steps = "".join(f"[{p}]" for p in predicates) + ("[1]" if first else "")
    names = [test.removeprefix("self::") for test in match.group(2).split(" or ")]
    union = " | ".join(f"descendant::{name}{steps}" for name in names)
    return f"({union})[1]" if first else union


def guarded(expressions: list[XPath], *, first_only: bool = False) -> list[XPath]:
    """The same rules, each ``re:test`` asked only where its attribute is present, and a
    leading name test left to the axis walk (see ``by_name``)."""
    return [
        XPath(
            by_name(_RE_TEST.sub(_guard, expression.path), first_only=first_only),
            namespaces={"re": _REGEXP_NS},
        )
        for expression in expressions
    ]


# the rule lists trafilatura's extraction stages read (as main_extractor's globals); its other
# lists, and readability's pre-pruning with OVERALL_DISCARD_XPATH, serve options (comments,
# precision) never set here. BODY_XPATH is read for the first element each rule selects
# (``next(...)`` in ``_extract``), so it may select that alone.
_RULES = (
    ("BODY_XPATH", True),
    ("OVERALL_DISCARD_XPATH", False),
    ("TEASER_DISCARD_XPATH", False),
    ("DISCARD_IMAGE_ELEMENTS", False),
)
_GUARDED = {name: guarded(getattr(xpaths, name), first_only=first) for name, first in _RULES}


@contextmanager
def guarded_rules() -> Iterator[None]:
    """trafilatura's extraction with the rewritten rules, put back afterwards: a plain
    ``trafilatura.extract`` elsewhere in the process keeps its own."""
    saved = {name: getattr(main_extractor, name) for name in _GUARDED}
    for name, rules in _GUARDED.items():
        setattr(main_extractor, name, rules)
    try:
        yield
    finally:
        for name, rules in saved.items():
            setattr(main_extractor, name, rules)
