"""What a site rule may cost: CSS selectors and regexes that stay cheap on any page.

Rules run on every page of their site, and a page can be deep (thousands of
unclosed elements) or wide (tens of thousands of siblings). lexbor matches
selectors right to left with backtracking and no memo, so some shapes grow
with depth or width to a power; Python's ``re`` backtracks too. The shapes
refused here are those measured to explode, with a message that says how to
write the rule instead.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

# See README, "When a site needs a rule": each descendant combinator past the first
# multiplies the work by the page's depth.
MAX_SELECTOR_CHARS = 256
MAX_PATTERN_CHARS = 300
MAX_DESCENDANT_COMBINATORS = 1

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', re.DOTALL)
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_NTH = re.compile(r":nth-(?:last-)?(?:child|of-type)\(", re.IGNORECASE)
_FUNCTION = re.compile(r":([\w-]+)$")


def check_selector(selector: str) -> str:
    """The selector, if lexbor parses it and its cost stays linear-ish; else ValueError."""
    selector = selector.strip()
    if not selector:
        raise ValueError("empty CSS selector")
    if len(selector) > MAX_SELECTOR_CHARS:
        raise ValueError(f"CSS selector over {MAX_SELECTOR_CHARS} characters")
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except SelectolaxError:
        raise ValueError(f"CSS selector does not parse: {selector!r}") from None
    if (why := slow_selector(selector)) is not None:
        raise ValueError(f"CSS selector {selector!r} can be very slow on some pages: {why}")
    return selector


def slow_selector(selector: str) -> str | None:
    """Why matching ``selector`` can cost more than (nodes x depth) steps, or None.

    Measured on lexbor: ``~`` and ``:nth-*()`` rescan sibling lists (quadratic, and
    ``a ~ b ~ c`` took minutes on 10,000 siblings); every descendant combinator after
    the first multiplies the work by the depth (``a b c d`` took seconds on a page
    1,000 elements deep); a descendant combinator or ``:has()`` inside ``:has()``
    rescans each subtree per ancestor.
    """
    flat = _ATTRIBUTE.sub("[]", _STRING.sub('""', _ESCAPE.sub("x", selector)))
    if "~" in flat:
        return "the ~ (general sibling) combinator rescans sibling lists; use + or a class"
    if _NTH.search(flat):
        return ":nth-*() rescans sibling lists; use :first-child, :last-of-type or a class"
    functions: list[str] = []
    descendants = 0
    previous = ""
    for index, char in enumerate(flat):
        if char == "(":
            name = _FUNCTION.search(flat, 0, index)
            functions.append(name[1].lower() if name else "")
            if functions.count("has") > 1:
                return ":has() inside :has() rescans every subtree"
        elif char == ")" and functions:
            functions.pop()
        elif char == "," and not functions:
            descendants = 0  # each alternative is matched on its own
        elif char.isspace() and previous and previous not in ",(>+" and not previous.isspace():
            following = flat[index:].lstrip()[:1]
            if following and following not in ",)>+":
                if "has" in functions:
                    return "a descendant combinator (space) inside :has(); use '>' there"
                descendants += 1
                if descendants > MAX_DESCENDANT_COMBINATORS:
                    return (
                        "more than one descendant combinator (space); keep one and write "
                        "'>' for the others, or drop an ancestor: 'article .body p' -> "
                        "'.body p' or 'article .body > p'"
                    )
        previous = char
    return None


def check_pattern(pattern: str) -> str:
    """The regex, if it compiles and has no nested repetition; else ValueError."""
    if not pattern:
        raise ValueError("empty regex")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(f"regex over {MAX_PATTERN_CHARS} characters")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"regex does not compile: {pattern!r}: {exc}") from None
    if nested_repetition(pattern):
        raise ValueError(
            f"regex {pattern!r} repeats a group that itself repeats (like '(a+)+'): it can "
            "backtrack for minutes on one line; write the group without the inner repetition"
        )
    return pattern


def nested_repetition(pattern: str) -> bool:
    """A group under ``*``, ``+`` or ``{n,}`` that holds a variable repetition itself:
    the shape of catastrophic backtracking (``(a+)+``, ``(\\w+\\s?)*``)."""
    inner = [False]  # per open group: whether something inside repeats a variable count
    closed = False  # the atom just read is a group; ``last`` is what its inside held
    last = False
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            i, closed = i + 2, False
            continue
        if char == "[":
            i, closed = _class_end(pattern, i), False
            continue
        if char == "(":
            i, opens = _group_start(pattern, i)
            if opens:
                inner.append(False)
            closed = False
            continue
        if char == ")" and len(inner) > 1:
            last = inner.pop()
            inner[-1] |= last
            i, closed = i + 1, True
            continue
        quantifier = _quantifier(pattern, i)
        if quantifier is not None:
            end, variable, unbounded = quantifier
            if closed and last and unbounded:
                return True
            inner[-1] |= variable
            i, closed = end, False
            continue
        i, closed = i + 1, False
    return False


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class starting at ``i``."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_start(pattern: str, i: int) -> tuple[int, bool]:
    """Skip a group's opening (``(``, ``(?:``, ``(?P<n>``, ...); whether a group opens."""
    if pattern[i + 1 : i + 2] != "?":
        return i + 1, True
    rest = pattern[i + 2 :]
    if rest[:1] in (":", "=", "!", ">") or rest[:2] in ("<=", "<!"):
        return i + 2 + (2 if rest[:1] == "<" else 1), True
    if rest.startswith("P<"):
        return pattern.index(">", i) + 1, True
    if rest[:1] in ("#", "(") or rest.startswith("P="):
        return pattern.index(")", i) + 1, rest[:1] == "("  # a comment, a backreference
    flags = re.match(r"[aiLmsux-]*", rest)
    end = i + 2 + (flags.end() if flags else 0)
    if pattern[end : end + 1] == ":":
        return end + 1, True
    return end + 1, False  # "(?i)": flags for the whole pattern


def _quantifier(pattern: str, i: int) -> tuple[int, bool, bool] | None:
    """(end, variable count, unbounded) of a quantifier at ``i``, or None."""
    char = pattern[i]
    if char in "*+?":
        end, variable, unbounded = i + 1, True, char != "?"
    elif char == "{" and (match := re.match(r"\{(\d*)(,?)(\d*)\}", pattern[i:])):
        low, comma, high = match.groups()
        if not (low or high):
            return None
        end = i + match.end()
        unbounded = bool(comma) and not high
        variable = bool(comma) and low != high
    else:
        return None
    if pattern[end : end + 1] in ("?", "+"):
        end += 1  # lazy or possessive
    return end, variable, unbounded
