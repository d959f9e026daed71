"""Issue 5, content: charsets end as valid UTF-8, binary is skipped, hostile pages end.

The fetcher hands on bytes plus the header's charset; ``decode_html`` (the
extract side) turns them into text. These tests run both, as a run does.
"""

from __future__ import annotations

import time

import pytest

import scraper
from scraper.config import ExtractConfig
from scraper.errors import NotHTMLFetchError, ScraperError, TooLargeError
from scraper.extract.decode import decode_html
from scraper.models import FetchResult
from tests.integration.fetch import faults as fs
from tests.integration.fetch.faultserver import FaultServer
from tests.integration.fetch.helpers import fetch_one

RUSSIAN = "Совет утвердил новый бюджет после долгих дебатов во вторник вечером."
FRENCH = (
    "Le conseil municipal a adopté le budget après un débat animé. Les élus ont évoqué "
    "la rénovation des écoles, la sécurité des piétons et l'été caniculaire à venir. "
)
JAPANESE = "市議会は火曜日に長い議論の末、新しい予算を承認しました。"


def text_of(result: FetchResult) -> str:
    text = decode_html(result.content, result.charset)
    text.encode("utf-8")  # valid UTF-8 out: no lone surrogates
    return text


def html(body: str) -> str:
    return f"<html><head><title>t</title></head><body><p>{body}</p></body></html>"


def test_charset_from_the_header(server: FaultServer) -> None:
    body = html(RUSSIAN).encode("cp1251")
    url = server.route("a.test", "/p", fs.page(body, "text/html; charset=windows-1251"))

    result = fetch_one(url)

    assert result.charset == "windows-1251"
    assert RUSSIAN in text_of(result)


def test_charset_from_meta_when_the_header_has_none(server: FaultServer) -> None:
    page = f'<html><head><meta charset="shift_jis"></head><body><p>{JAPANESE}</p></body></html>'
    url = server.route("a.test", "/p", fs.page(page.encode("shift_jis"), "text/html"))

    result = fetch_one(url)

    assert result.charset is None
    assert JAPANESE in text_of(result)


def test_charset_detected_when_nothing_is_declared(server: FaultServer) -> None:
    url = server.route("a.test", "/p", fs.page(html(FRENCH * 5).encode("cp1252"), "text/html"))

    assert "débat animé" in text_of(fetch_one(url))


def test_invalid_bytes_never_crash_and_come_out_as_utf8(server: FaultServer) -> None:
    body = html("Bonjour ").encode() + b"\xff\xfe\xc3\x28 \xed\xa0\x80 la suite" + b"</p>"
    url = server.route("a.test", "/p", fs.page(body, "text/html; charset=utf-8"))

    text = text_of(fetch_one(url))

    assert "Bonjour" in text and "la suite" in text


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"\x00" * 5000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 5000
ZIP = b"PK\x03\x04" + b"\x14" * 5000
BINARY = bytes(range(256)) * 20


@pytest.mark.parametrize(
    ("body", "content_type", "why"),
    [
        (PDF, "application/pdf", "not HTML: application/pdf"),
        (PNG, "image/png", "not HTML: image/png"),
        (PDF, "text/html", "the body is a PDF document"),
        (PNG, "text/html; charset=utf-8", "the body is a PNG image"),
        (ZIP, "text/html", "the body is a ZIP archive"),
        (BINARY, "text/html", "binary data"),
        (PDF, "", "the body is a PDF document"),
    ],
    ids=[
        "pdf",
        "png",
        "pdf-as-html",
        "png-as-html",
        "zip-as-html",
        "binary-as-html",
        "pdf-no-type",
    ],
)
def test_non_html_is_skipped_with_a_reason(
    server: FaultServer, body: bytes, content_type: str, why: str
) -> None:
    headers = [("Content-Type", content_type)] if content_type else []

    async def serve(request: fs.Request, conn: fs.Conn) -> None:
        await conn.send(200, body, headers)

    with pytest.raises(NotHTMLFetchError, match=why) as info:
        fetch_one(server.route("a.test", "/file", serve))

    assert info.value.reason == "not_html"
    assert len(server.requests("a.test")) == 1  # not retried


def test_a_50_mb_page_on_one_line_is_refused_at_the_size_cap(server: FaultServer) -> None:
    line = b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>"
    url = server.route("a.test", "/p", fs.page(line))

    with pytest.raises(TooLargeError, match="10000000-byte limit"):  # the default cap
        fetch_one(url)


PATHOLOGICAL = {
    "nested": b"<html><body>"
    + b"<div>" * 10_000
    + b"<p>Deep text of the article sits here.</p>"
    + b"</div>" * 10_000
    + b"</body></html>",
    "huge-attribute": b'<html><body><p title="'
    + b"a" * 5_000_000
    + b'">The council agreed the budget after a long debate on Tuesday.</p></body></html>',
    "one-long-line": b"<html><body><p>" + b"word " * 1_000_000 + b"</p></body></html>",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_a_pathological_page_ends_in_time_or_is_rejected_with_a_reason(
    server: FaultServer, name: str
) -> None:
    url = server.route("a.test", "/p", fs.page(PATHOLOGICAL[name]))
    result = fetch_one(url)

    started = time.monotonic()
    try:
        article = scraper.extract(result.content, url=result.final_url, charset=result.charset)
    except ScraperError as exc:
        assert exc.reason  # rejected, with a reason a run can count
    else:
        assert article.body
    assert time.monotonic() - started < ExtractConfig().timeout
