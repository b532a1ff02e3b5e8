"""The dashboard server (asyncio, same loop as the pipeline) and :class:`WebSink`, the sink that feeds it.

Routes:
    ``/``                       live page (one card per sensor), pushed by server-sent events
    ``/events``                 SSE stream: a ``snapshot`` first, then one JSON message per event/status
    ``/api/live``               the same snapshot as JSON
    ``/history``, ``/history/<session_id>``, ``/trends?exercise=X``   history pages
    ``/api/sessions``, ``/api/sessions/<id>``, ``/api/trends?exercise=X&days=N``   their JSON
    ``/static/...``             html/css/js and the vendored chart library
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from repcounter.engine.events import _clean
from repcounter.errors import UserError
from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink
from repcounter.sources.base import SensorStatus
from repcounter.web import history_api
from repcounter.web.http import CONTENT_TYPES, BadRequest, Request, head_bytes, read_request, send, send_error, send_json
from repcounter.web.live import LiveState

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGES = {"/": "live.html", "/history": "history.html", "/trends": "trends.html"}
MAX_UNSENT = 1 << 20
"""Bytes a live page may fall behind (unsent in our buffer) before it is dropped; it reconnects and gets a
fresh snapshot."""
PING_S = 15.0
"""Keep-alive comment interval on idle event streams, s."""


def dumps(payload: Any) -> str:
    """Compact JSON; NaN/inf become null."""
    try:
        return json.dumps(payload, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_clean(payload), separators=(",", ":"), allow_nan=False)


def parse_http_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``:PORT``, ``PORT`` or ``[v6]:PORT`` -> (host, port); host defaults to 127.0.0.1.

    Raises:
        UserError: not an address.
    """
    host, port_text = "127.0.0.1", text.strip()
    if port_text.startswith("["):
        addr, sep, port_text = port_text[1:].partition("]:")
        if not sep:
            raise UserError(f"--http {text!r}: expected [IPv6]:PORT")
        host = addr
    elif ":" in port_text:
        host, _, port_text = port_text.rpartition(":")
        host = host or "127.0.0.1"
    try:
        port = int(port_text)
    except ValueError:
        raise UserError(f"--http {text!r}: expected HOST:PORT, e.g. 127.0.0.1:8000 (port 0 picks a free one)") from None
    if not 0 <= port <= 65535:
        raise UserError(f"--http {text!r}: port must be 0..65535")
    return host, port


class _Client:
    """One connected live page. Frames are written straight to its socket (no queue, no task switch: the
    lowest delay); a page that falls :data:`MAX_UNSENT` bytes behind is dropped."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.closed = asyncio.Event()

    def send(self, frame: bytes) -> bool:
        """Write a frame now; False (and closed) if the page is gone or too far behind."""
        transport = self.writer.transport
        if self.closed.is_set() or transport.is_closing():
            self.closed.set()
            return False
        if transport.get_write_buffer_size() > MAX_UNSENT:
            log.warning("a live page fell %d bytes behind; dropped it (it reconnects)", MAX_UNSENT)
            transport.abort()
            self.closed.set()
            return False
        self.writer.write(frame)
        return True

    def close(self) -> None:
        """Ask the page's handler to finish (buffered frames are still flushed)."""
        self.closed.set()


class DashboardServer:
    """HTTP server for the live and history pages.

    Args:
        host: address to bind (127.0.0.1 keeps it on this machine; 0.0.0.0 lets a phone on the LAN in).
        port: TCP port, 0 = any free port (see :attr:`url`).
        store_path: the SQLite history file the history pages read.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, store_path: Path | None = None) -> None:
        self.host, self.port = host, port
        self.store_path = Path(store_path) if store_path else None
        self.state = LiveState()
        self._clients: set[_Client] = set()
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._msg_id = 0

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8000/`` (the actual port once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def client_count(self) -> int:
        """Live pages currently connected to ``/events``."""
        return len(self._clients)

    async def start(self) -> str:
        """Bind and serve; returns :attr:`url`. Raises UserError if the address cannot be used."""
        try:
            self._server = await asyncio.start_server(self._on_connect, self.host, self.port, limit=16384)
        except OSError as exc:
            raise UserError(f"cannot serve the dashboard on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self.port = self._server.sockets[0].getsockname()[1]
        return self.url

    async def stop(self) -> None:
        """Tell live pages the stream is over, close them and stop listening."""
        for client in list(self._clients):
            client.close()
        if self._server is not None:
            self._server.close()
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=2.0)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    # ---- push -------------------------------------------------------------------------------------------
    def publish(self, message: dict[str, Any]) -> None:
        """Send one JSON message to every connected live page."""
        if not self._clients:
            return
        frame = self._frame(message)
        for client in list(self._clients):
            if not client.send(frame):
                self._clients.discard(client)

    def _frame(self, message: dict[str, Any]) -> bytes:
        self._msg_id += 1
        return f"id: {self._msg_id}\ndata: {dumps(message)}\n\n".encode("utf-8")

    def snapshot_message(self) -> dict[str, Any]:
        """The first message a live page gets."""
        return {"type": "snapshot", **self.state.snapshot()}

    # ---- HTTP -------------------------------------------------------------------------------------------
    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            try:
                request = await read_request(reader)
            except BadRequest as exc:
                await send_error(writer, exc.status, str(exc))
                return
            if request is None:
                return
            if request.method not in ("GET", "HEAD"):
                await send(writer, 405, b"only GET and HEAD\n", "text/plain", extra={"Allow": "GET, HEAD"})
                return
            await self._route(request, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass  # server stopping; ending normally avoids asyncio 3.11 logging the cancelled handler
        except Exception:
            log.exception("dashboard request failed")
            try:
                await send_error(writer, 500, "internal error (see the server log)")
            except Exception:
                pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            try:
                await writer.wait_closed()
            except Exception:
                pass

    async def _route(self, req: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = req.method == "HEAD"
        path = req.path.rstrip("/") or "/"
        if path == "/events":
            await self._serve_events(reader, writer, head)
        elif path in PAGES:
            await self._serve_file(writer, PAGES[path], head)
        elif path.startswith("/history/"):
            await self._serve_file(writer, "session.html", head)
        elif path.startswith("/static/"):
            await self._serve_file(writer, path[len("/static/"):], head)
        elif path == "/favicon.ico":
            await self._serve_file(writer, "favicon.svg", head)
        elif path == "/api/live":
            await send_json(writer, 200, self.state.snapshot(), head)
        elif path.startswith("/api/"):
            await self._serve_api(req, path, writer, head)
        else:
            await send_error(writer, 404, f"no page {req.path}", head)

    async def _serve_file(self, writer: asyncio.StreamWriter, rel: str, head: bool) -> None:
        target = (STATIC_DIR / rel).resolve()
        if not target.is_relative_to(STATIC_DIR) or not target.is_file():
            await send_error(writer, 404, f"no file {rel}", head)
            return
        body = target.read_bytes()
        await send(writer, 200, body, CONTENT_TYPES.get(target.suffix, "application/octet-stream"), head)

    async def _serve_api(self, req: Request, path: str, writer: asyncio.StreamWriter, head: bool) -> None:
        if self.store_path is None:
            await send_error(writer, 404, "no history store configured", head)
            return
        try:
            if path == "/api/sessions":
                limit = _int_arg(req.query, "limit", 100, 1, 10000)
                payload: Any = await asyncio.to_thread(history_api.list_sessions, self.store_path, limit)
            elif path.startswith("/api/sessions/"):
                sid = path[len("/api/sessions/"):]
                payload = await asyncio.to_thread(history_api.get_session, self.store_path, sid)
                if payload is None:
                    await send_error(writer, 404, f"no session {sid}", head)
                    return
            elif path == "/api/trends":
                exercise = req.query.get("exercise") or None
                days = _int_arg(req.query, "days", 90, 1, 3650)
                payload = await asyncio.to_thread(history_api.get_trends, self.store_path, exercise, days)
            else:
                await send_error(writer, 404, f"no API {path}", head)
                return
        except BadRequest as exc:
            await send_error(writer, exc.status, str(exc), head)
            return
        except history_api.StoreUnavailable as exc:
            await send_error(writer, 503, str(exc), head)
            return
        await send_json(writer, 200, payload, head)

    async def _serve_events(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bool) -> None:
        headers = {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache",
                   "X-Accel-Buffering": "no", "Connection": "keep-alive"}
        writer.write(head_bytes(200, headers))
        if head:
            await writer.drain()
            return
        client = _Client(writer)
        # snapshot and registration happen in the same loop step: no event can fall between them
        writer.write(b"retry: 1000\n" + self._frame(self.snapshot_message()))
        self._clients.add(client)
        watcher = asyncio.ensure_future(self._watch_eof(reader, client))
        try:
            await writer.drain()
            while not client.closed.is_set():
                try:
                    await asyncio.wait_for(client.closed.wait(), PING_S)
                except asyncio.TimeoutError:
                    client.send(b": ping\n\n")
        finally:
            self._clients.discard(client)
            watcher.cancel()

    @staticmethod
    async def _watch_eof(reader: asyncio.StreamReader, client: _Client) -> None:
        """Close the client when the page disconnects (its side of the socket reaches EOF)."""
        try:
            while await reader.read(4096):
                pass
        except (ConnectionError, OSError):
            pass
        client.close()


def _int_arg(query: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text in (None, ""):
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(400, f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadRequest(400, f"{name} must be {low}..{high}")
    return value


class WebSink(Sink):
    """Serve the dashboard while the pipeline runs, and push every event and status to the live pages.

    Args:
        host, port: where to listen (port 0 = a free port; read :attr:`url` after :meth:`open`).
        store_path: history database the history pages read.
        stay: after the session ends keep serving (history review) until cancelled (Ctrl-C).
        announce: print the dashboard address to stderr when it is up.
    """

    name = "web"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, store_path: Path | None = None,
                 stay: bool = False, announce: bool = True) -> None:
        self.server = DashboardServer(host, port, store_path)
        self.stay = stay
        self.announce = announce
        self._started = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "WebSink":
        """From ``--http HOST:PORT`` (and ``--store``, ``--http-stay`` where present)."""
        from repcounter.paths import default_store_path

        host, port = parse_http_address(args.http)
        store = getattr(args, "store", None) or default_store_path()
        return cls(host, port, Path(store), stay=bool(getattr(args, "http_stay", False)))

    @property
    def url(self) -> str:
        """The dashboard address (actual port after :meth:`start`/:meth:`open`)."""
        return self.server.url

    @property
    def state(self) -> LiveState:
        """The live state the pages show."""
        return self.server.state

    async def start(self) -> str:
        """Start serving (also done by :meth:`open`); returns the URL. Idempotent."""
        if not self._started:
            await self.server.start()
            self._started = True
            if self.announce:
                print(f"Live dashboard: {self.url}", file=sys.stderr, flush=True)
                if self.server.host in ("0.0.0.0", "::", ""):
                    print(f"  (open http://<this computer's address>:{self.server.port}/ on your phone; "
                          "anyone on this network can see it)", file=sys.stderr, flush=True)
        return self.url

    async def open(self, session: SessionInfo) -> None:
        await self.start()
        self.server.state.open_session(session)
        self.server.publish(self.server.snapshot_message())

    async def handle(self, envelope: EventEnvelope) -> None:
        card = self.server.state.apply_event(envelope)
        self.server.publish({"type": "event", "event": envelope.to_dict(), "card": card.to_dict()})

    async def handle_status(self, status: SensorStatus) -> None:
        card = self.server.state.apply_status(status)
        self.server.publish({"type": "status", "card": card.to_dict()})

    async def close(self) -> None:
        self.server.state.ended = True
        self.server.publish({"type": "ended", "session": self.server.state.session})
        if self.stay and self._started:
            if self.announce:
                print(f"Session over; the dashboard stays up at {self.url} - Ctrl-C to stop.",
                      file=sys.stderr, flush=True)
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                pass  # Ctrl-C: stop serving below, and let the pipeline close the other sinks
        await self.server.stop()
        self._started = False
