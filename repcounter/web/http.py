"""A tiny HTTP/1.1 layer over asyncio streams: parse one request, write one response.

Only what the dashboard needs: GET and HEAD, no request bodies, ``Connection: close`` after every plain
response (server-sent event streams stay open until the client or the server goes away).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

MAX_REQUEST_LINE = 8192
"""Longest accepted request line, bytes."""
MAX_HEADERS = 64
"""Most header lines accepted in one request."""

REASONS = {200: "OK", 204: "No Content", 304: "Not Modified", 400: "Bad Request", 404: "Not Found",
           405: "Method Not Allowed", 413: "Payload Too Large", 500: "Internal Server Error",
           503: "Service Unavailable"}

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}


class BadRequest(Exception):
    """The client sent something that is not a request we can answer (status code in ``status``)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Request:
    """One parsed request: ``method``, decoded ``path`` (no query), ``query`` (first value per key)."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


async def read_request(reader: asyncio.StreamReader, timeout_s: float = 30.0) -> Request | None:
    """Read a request head; ``None`` if the client closed the connection before sending one.

    Raises:
        BadRequest: malformed or oversized request head.
    """
    try:
        line = await asyncio.wait_for(reader.readline(), timeout_s)
    except (asyncio.TimeoutError, ConnectionError):
        return None
    except (asyncio.LimitOverrunError, ValueError) as exc:
        raise BadRequest(400, "request line too long") from exc
    if not line:
        return None
    if len(line) > MAX_REQUEST_LINE:
        raise BadRequest(400, "request line too long")
    parts = line.decode("latin-1").strip().split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(400, "malformed request line")
    method, target, _version = parts
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        try:
            raw = await asyncio.wait_for(reader.readline(), timeout_s)
        except (asyncio.LimitOverrunError, ValueError) as exc:
            raise BadRequest(400, "header line too long") from exc
        if raw in (b"\r\n", b"\n", b""):
            break
        name, sep, value = raw.decode("latin-1").partition(":")
        if not sep:
            raise BadRequest(400, "malformed header line")
        headers[name.strip().lower()] = value.strip()
    else:
        raise BadRequest(400, "too many header lines")
    if headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers:
        raise BadRequest(413, "request bodies are not accepted")
    split = urlsplit(target)
    query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
    return Request(method.upper(), unquote(split.path) or "/", query, headers)


def head_bytes(status: int, headers: dict[str, str]) -> bytes:
    """The status line and headers of a response, ending with the blank line."""
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", f"Date: {formatdate(usegmt=True)}",
             "Server: repcounter"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def send(writer: asyncio.StreamWriter, status: int, body: bytes, content_type: str,
               head_only: bool = False, extra: dict[str, str] | None = None) -> None:
    """Write a complete response and mark the connection for closing."""
    headers = {"Content-Type": content_type, "Content-Length": str(len(body)), "Cache-Control": "no-cache",
               "X-Content-Type-Options": "nosniff", "Connection": "close"}
    headers.update(extra or {})
    writer.write(head_bytes(status, headers) + (b"" if head_only else body))
    await writer.drain()


async def send_json(writer: asyncio.StreamWriter, status: int, payload: Any, head_only: bool = False) -> None:
    """Write a JSON response (NaN is not valid JSON: callers pass cleaned data)."""
    body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode("utf-8")
    await send(writer, status, body, "application/json", head_only)


async def send_error(writer: asyncio.StreamWriter, status: int, message: str, head_only: bool = False) -> None:
    """A JSON error ``{"error": message}``."""
    await send_json(writer, status, {"error": message}, head_only)
