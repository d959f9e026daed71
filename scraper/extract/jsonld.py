"""JSON-LD: the most reliable metadata a news page carries, when it carries any."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborNode

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting",
    "socialmediaposting",
    "techarticle", "scholarlyarticle", "report", "webpage", "medicalwebpage", "posting",
}  # fmt: skip
_ORGANISATIONS = {"organization", "newsmediaorganization", "corporation"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _walk(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, list):
        for item in obj:
            yield from _walk(item)
    elif isinstance(obj, dict):
        yield obj
        graph = obj.get("@graph")
        if graph is not None:
            yield from _walk(graph)
        main = obj.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main)


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type", ())
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values}


def load_objects(scripts: list[LexborNode]) -> list[dict[str, Any]]:
    """The objects in the page's JSON-LD ``scripts``, nested graphs flattened."""
    objects: list[dict[str, Any]] = []
    for node in scripts:
        raw = (node.text(deep=True) or "").strip()
        if not raw:
            continue
        raw = _CONTROL.sub(" ", raw).removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        objects.extend(_walk(data))
    return objects


def article_object(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The object describing the page's article; a WebPage only if nothing better exists."""
    best: dict[str, Any] | None = None
    for obj in objects:
        types = _types(obj)
        if types & _ARTICLE_TYPES - {"webpage", "medicalwebpage"}:
            return obj
        if best is None and types & {"webpage", "medicalwebpage"}:
            best = obj
    return best


def text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return text_of(value[0])
    return None


def by_id(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Objects by their "@id": a graph (Yoast and the like) names the author once, and
    the article refers to it as {"@id": ".../#author"}."""
    return {str(obj["@id"]): obj for obj in objects if isinstance(obj.get("@id"), str)}


def names_of(
    value: Any, index: dict[str, dict[str, Any]] | None = None, *, people: bool = True
) -> list[str]:
    """Author names from a string, Person, list of either; organisations skipped (or, with
    ``people=False``, only organisations' names)."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict) and "name" not in item and index:
            item = index.get(str(item.get("@id")), item)
        if isinstance(item, str):
            if people:
                out.append(item)
        elif isinstance(item, dict):
            if bool(_types(item) & _ORGANISATIONS) == people:
                continue
            name = item.get("name")
            if isinstance(name, list):
                out.extend(str(n) for n in name)
            elif isinstance(name, str):
                out.append(name)
            elif item.get("givenName") or item.get("familyName"):
                out.append(f"{item.get('givenName', '')} {item.get('familyName', '')}".strip())
    return [n.strip() for n in out if n and n.strip()]


def strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [s for item in value for s in strings_of(item)]
    return []
