"""The fetcher's own socket layer against a real server: TLS with the host name checked, and
keep-alive connections the server closed while they sat idle."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.errors import FetchError
from scraper.fetch import Fetcher
from tests.integration.fetch.helpers import fast_config, run_with

PAGE = b"<html><body><p>hello over the wire</p></body></html>"


class OneShotServer:
    """Answers each request with PAGE, then closes the connection without saying so first
    (no ``Connection: close``): the client keeps the connection idle in its pool and must
    notice it died before the next request, not fail that request."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.context = context
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(raw,), daemon=True).start()

    def _answer(self, raw: socket.socket) -> None:
        try:
            conn = self.context.wrap_socket(raw, server_side=True) if self.context else raw
            with conn:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(PAGE) + PAGE
                )
        except (OSError, ssl.SSLError):
            return  # a client that refused our certificate

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the name ``news.test``."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=news.test"),
            *("-addext", "subjectAltName=DNS:news.test"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[OneShotServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    server = OneShotServer(context)
    yield server
    server.close()


def test_pages_arrive_over_tls_when_the_certificate_names_the_host(
    tls_server: OneShotServer, certificate: tuple[Path, Path]
) -> None:
    trust = ssl.create_default_context(cafile=str(certificate[0]))

    async def body(fetcher: Fetcher) -> bytes:
        return (await fetcher.fetch(f"https://news.test:{tls_server.port}/a")).content

    assert run_with(body, fast_config(retries=0), verify=trust) == PAGE


def test_a_certificate_for_another_name_is_refused(
    tls_server: OneShotServer, certificate: tuple[Path, Path]
) -> None:
    trust = ssl.create_default_context(cafile=str(certificate[0]))

    async def body(fetcher: Fetcher) -> bytes:
        return (await fetcher.fetch(f"https://other.test:{tls_server.port}/a")).content

    with pytest.raises(FetchError, match=r"other\.test"):
        run_with(body, fast_config(retries=0), verify=trust)


def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    server = OneShotServer()
    urls = [f"http://127.0.0.1:{server.port}/{n}" for n in range(3)]

    async def body(fetcher: Fetcher) -> list[bytes]:
        pages = []
        for url in urls:  # one after another through one pool; no retries to hide a failure
            pages.append((await fetcher.fetch(url)).content)
            await asyncio.sleep(0.1)  # idle in the pool while the server's close arrives
        return pages

    try:
        assert run_with(body, fast_config(retries=0)) == [PAGE] * 3
        assert server.connections == 3  # the closed connections were not handed out again
    finally:
        server.close()
