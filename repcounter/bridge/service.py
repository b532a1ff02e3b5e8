"""The bridge service: MQTT (shared subscription, QoS 1, manual acks) -> validation -> InfluxDB.

A message is acknowledged to the broker only after its point is stored (or, if malformed, after it has been
set aside on the dead-letter topic). While InfluxDB is down the current batch is retried with back-off and
nothing more is acknowledged, so the broker holds the rest (persistent session) and the bridge catches up
when InfluxDB returns. Points are idempotent, so redelivered messages overwrite rather than double.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import queue as queue_mod
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from repcounter.bridge.points import BUILDERS, offline_lines
from repcounter.bridge.writers import InfluxV1Writer, InfluxV2Writer, WriteError
from repcounter.errors import UserError
from repcounter.messages import MessageError, decode, kind_of_topic
from repcounter.mqtt_url import BrokerAddress

log = logging.getLogger(__name__)

AUTH_FAILURES = {"Not authorized", "Bad user name or password", "Client identifier not valid", "Banned"}


def _varint(buf: bytes, p: int, end: int) -> tuple[int, int] | None:
    """MQTT variable byte integer at ``buf[p:]`` (at most 4 bytes, not past ``end``): (value, index after it),
    or None when it is incomplete."""
    value, mult = 0, 1
    for i in range(p, min(p + 4, end)):
        c = buf[i]
        value += (c & 127) * mult
        mult <<= 7
        if not c & 128:
            return value, i + 1
    return None


def _bulk_read_client_class() -> type:
    import paho.mqtt.client as mqtt
    from paho.mqtt.client import time_func as _time_func

    class BulkReadClient(mqtt.Client):
        """paho reads a QoS 1 subscriber's packets one per select() and byte by byte (one recv() per header
        byte); this reads the socket in 64 KiB chunks and handles every complete packet buffered.

        With ``fast_publish`` set (a callable taking a list of ``(mid, qos, topic, payload)``), complete QoS 0/1
        PUBLISH packets in the buffer are parsed here in one pass and handed over in bulk, skipping paho's
        per-message objects (MQTTMessage, Properties, topic matching); everything else (and a PUBLISH split
        across reads, a topic alias or QoS 2) goes through paho as before.
        """

        _rbuf: bytes = b""
        _rpos: int = 0
        fast_publish: Any = None

        def _fast_publishes(self) -> None:
            buf, pos = self._rbuf, self._rpos
            end_buf = len(buf)
            v5 = self._protocol == mqtt.MQTTv5
            out = []
            while pos < end_buf:
                b0 = buf[pos]
                qos = (b0 >> 1) & 3
                if b0 & 0xF0 != 0x30 or qos == 2:
                    break
                length = _varint(buf, pos + 1, end_buf)
                if length is None:
                    break  # the length itself is incomplete
                rl, p = length
                end = p + rl
                if end > end_buf:
                    break  # split across reads: paho assembles it
                tlen = (buf[p] << 8) | buf[p + 1]
                if tlen == 0:
                    break  # topic alias: let paho resolve it
                q = p + 2 + tlen
                topic = buf[p + 2:q].decode("utf-8")
                mid = 0
                if qos:
                    mid = (buf[q] << 8) | buf[q + 1]
                    q += 2
                if v5:
                    props = _varint(buf, q, end)
                    if props is None:
                        break  # malformed: let paho report it
                    plen, q = props
                    q += plen
                out.append((mid, qos, topic, buf[q:end]))
                pos = end
            if out:
                self._rpos = pos
                self._last_bytes_received = _time_func()
                self.fast_publish(out)

        def reconnect(self) -> mqtt.MQTTErrorCode:
            self._rbuf, self._rpos = b"", 0  # never parse bytes of an earlier connection
            return super().reconnect()

        def _sock_recv(self, bufsize: int) -> bytes:
            if self._rpos >= len(self._rbuf):
                data = super()._sock_recv(65536)  # BlockingIOError when nothing is there
                if not data:
                    return data
                self._rbuf, self._rpos = data, 0
            chunk = self._rbuf[self._rpos:self._rpos + bufsize]
            self._rpos += len(chunk)
            return chunk

        def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
            # Read until the socket and the buffer are empty: data left in the buffer would not wake select().
            while True:
                if self._sock is None:
                    return mqtt.MQTTErrorCode.MQTT_ERR_NO_CONN
                if self.fast_publish is not None and self._in_packet["command"] == 0 and self._rpos < len(self._rbuf):
                    self._fast_publishes()
                rc = self._packet_read()
                if rc > 0:
                    return self._loop_rc_handle(rc)
                if rc == mqtt.MQTTErrorCode.MQTT_ERR_AGAIN:
                    return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS

    return BulkReadClient


def _BulkReadClient(*args: Any, **kw: Any) -> Any:  # noqa: N802 - a class factory used like a class
    global _BULK_CLASS
    if _BULK_CLASS is None:
        _BULK_CLASS = _bulk_read_client_class()
    return _BULK_CLASS(*args, **kw)


_BULK_CLASS: type | None = None


def _done(value: bool) -> Any:
    from concurrent.futures import Future

    fut: Future = Future()
    fut.set_result(value)
    return fut


@dataclass
class BridgeStats:
    """Counters since start."""

    received: int = 0
    stored_messages: int = 0
    points: int = 0
    dead_letters: int = 0
    write_failures: int = 0
    batches: int = 0
    acked: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Inbound:
    mid: int
    qos: int
    topic: str
    payload: bytes
    generation: int


class Bridge:
    """Subscribe to ``<prefix>/+/{rep,set,live,status}`` and ``<prefix>/gateway/+/status`` and write points.

    Args:
        address: the broker.
        writer: an InfluxDB writer.
        prefix: topic prefix the gateways use.
        share_group: shared-subscription group (bridges in one group split the messages); None subscribes
            plainly (each bridge gets everything).
        client_id: stable MQTT client id, so the broker keeps this bridge's queue across restarts.
        batch_size: at most this many messages per write.
        linger_s: wait this long for more messages before writing a partial batch, s.
        max_backoff_s: longest pause between retries of a failed write, s.
    """

    def __init__(self, address: BrokerAddress, writer: InfluxV1Writer | InfluxV2Writer, prefix: str = "repcounter",
                 share_group: str | None = "repcounter-bridge", client_id: str | None = None,
                 batch_size: int = 5000, linger_s: float = 0.05, max_backoff_s: float = 5.0,
                 receive_maximum: int = 20000, session_expiry_s: int = 7 * 24 * 3600) -> None:
        self.address = address
        self.writer = writer
        self.prefix = prefix.strip("/") or "repcounter"
        self.share_group = share_group or None
        self.client_id = client_id or f"repcounter-bridge-{socket.gethostname()}-{share_group or 'solo'}"
        self.batch_size = batch_size
        self.linger_s = linger_s
        self.max_backoff_s = max_backoff_s
        self.receive_maximum = receive_maximum
        self.session_expiry_s = session_expiry_s
        self.dead_letter_topic = f"{self.prefix}/deadletter"
        self.stats = BridgeStats()
        self.inbox: queue_mod.SimpleQueue[_Inbound] = queue_mod.SimpleQueue()
        self.protocol_v5 = True
        self._generation = 0
        self._connected = threading.Event()
        self._first = threading.Event()
        self._subscribed = threading.Event()
        self._first_error: str | None = None
        self._stop = threading.Event()
        self._client: Any = None
        self._worker: threading.Thread | None = None
        self._gateway_sensors: dict[str, set[str]] = {}
        # health (see :meth:`health`): messages handed over by the broker, InfluxDB write state, MQTT state
        self._delivered = 0
        self.influx_last_ok: float | None = None
        self.influx_failing_since: float | None = None
        self.influx_last_error: str | None = None
        self.mqtt_down_since: float | None = time.time()

    # ------------------------------------------------------------------------------- MQTT
    def topics(self) -> list[str]:
        """Topic filters (shared when a group is set)."""
        base = [f"{self.prefix}/+/{k}" for k in ("rep", "set", "live", "status")] + [f"{self.prefix}/gateway/+/status"]
        return [f"$share/{self.share_group}/{t}" for t in base] if self.share_group else base

    def _make_client(self) -> Any:
        import paho.mqtt.client as mqtt
        from paho.mqtt.properties import Properties
        from paho.mqtt.packettypes import PacketTypes

        if self.protocol_v5:
            client = _BulkReadClient(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5,
                                     manual_ack=True)
            props = Properties(PacketTypes.CONNECT)
            props.SessionExpiryInterval = self.session_expiry_s
            props.ReceiveMaximum = min(self.receive_maximum, 65535)
            self._connect_kw = {"clean_start": False, "properties": props}
        else:
            client = _BulkReadClient(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id,
                                     protocol=mqtt.MQTTv311, clean_session=False, manual_ack=True)
            self._connect_kw = {}
        client.reconnect_delay_set(0.1, 1.0)
        if self.address.username:
            client.username_pw_set(self.address.username, self.address.password)
        ctx = self.address.ssl_context()
        if ctx is not None:
            client.tls_set_context(ctx)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.fast_publish = self._on_publishes
        client.on_subscribe = lambda *_a: self._subscribed.set()
        return client

    def _on_connect(self, client: Any, _u: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            self._first_error = str(reason)
            self._first.set()
            log.warning("bridge: broker %s refused: %s", self.address.display, reason)
            return
        self._generation += 1
        self.mqtt_down_since = None
        client.subscribe([(t, 1) for t in self.topics()])
        self._connected.set()
        self._first_error = None
        self._first.set()
        log.info("bridge connected to %s as %s (MQTT %s), topics %s", self.address.display, self.client_id,
                 "5" if self.protocol_v5 else "3.1.1", ", ".join(self.topics()))

    def _on_disconnect(self, _c: Any, _u: Any, _flags: Any, reason: Any, _props: Any) -> None:
        self._connected.clear()
        self.mqtt_down_since = self.mqtt_down_since or time.time()
        if not self._stop.is_set():
            log.warning("bridge: lost the broker (%s); reconnecting", reason)

    def _on_message(self, _c: Any, _u: Any, msg: Any) -> None:
        self._delivered += 1
        self.inbox.put(_Inbound(msg.mid, msg.qos, msg.topic, msg.payload, self._generation))

    def _on_publishes(self, items: list[tuple[int, int, str, bytes]]) -> None:
        gen, put = self._generation, self.inbox.put
        self._delivered += len(items)
        for mid, qos, topic, payload in items:
            put(_Inbound(mid, qos, topic, payload, gen))

    def start(self, first_connect_timeout_s: float = 15.0) -> "Bridge":
        """Connect and start the worker; raise :class:`UserError` if the broker refuses the credentials."""
        client = self._make_client()
        self._client = client
        try:
            client.connect(self.address.host, self.address.port, keepalive=15, **self._connect_kw)
        except ssl.SSLCertVerificationError as exc:
            raise UserError(f"TLS: cannot verify the certificate of {self.address.display} ({exc.verify_message})") from None
        except OSError as exc:
            log.warning("bridge: broker %s not reachable yet (%s); will keep trying", self.address.display, exc)
            client.connect_async(self.address.host, self.address.port, keepalive=15, **self._connect_kw)
        client.loop_start()
        self._first.wait(first_connect_timeout_s)
        if self._first_error and self.protocol_v5 and "protocol" in self._first_error.lower():
            client.loop_stop()
            self.protocol_v5 = False
            log.info("bridge: broker refused MQTT 5; falling back to 3.1.1")
            self._first.clear()
            return self.start(first_connect_timeout_s)
        if self._first_error in AUTH_FAILURES:
            client.disconnect()
            client.loop_stop()
            raise UserError(f"broker {self.address.display} refused the bridge: {self._first_error}")
        if self._connected.is_set():
            self._subscribed.wait(first_connect_timeout_s)  # SUBACK: from here on nothing published is missed
        self._worker = threading.Thread(target=self._work, name="bridge-writer", daemon=True)
        self._worker.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop: finish the batch in hand if InfluxDB allows, then disconnect (unacked messages stay queued)."""
        self._stop.set()
        if self._worker is not None:
            self._worker.join(timeout_s)
        if self._client is not None:
            self._client.disconnect()
            self._client.loop_stop()
        self.writer.close()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def health(self) -> dict[str, Any]:
        """The state ``--health-file`` reports (read by ``repcounter bridge-health``); safe from any thread."""
        stats = self.stats.as_dict()
        stats["by_kind"] = dict(stats["by_kind"])  # a copy: the writer thread may add a kind meanwhile
        return {
            "time": time.time(),
            "pid": os.getpid(),
            "client_id": self.client_id,
            "mqtt": {"connected": self.connected, "broker": self.address.display,
                     "disconnected_since": None if self.connected else self.mqtt_down_since},
            "influxdb": {"ok": self.influx_failing_since is None, "last_write_ok": self.influx_last_ok,
                         "failing_since": self.influx_failing_since, "last_error": self.influx_last_error},
            "writer_alive": self._worker is not None and self._worker.is_alive(),
            "held": max(0, self._delivered - self.stats.stored_messages),
            "stored": self.stats.stored_messages,
            "dead_lettered": self.stats.dead_letters,
            "stats": stats,
        }

    # ------------------------------------------------------------------------------- processing
    def _collect(self, wait_s: float = 0.2) -> list[_Inbound]:
        try:
            first = self.inbox.get(timeout=wait_s)
        except queue_mod.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.linger_s
        while len(batch) < self.batch_size:
            try:
                batch.append(self.inbox.get_nowait())
            except queue_mod.Empty:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    batch.append(self.inbox.get(timeout=left))
                except queue_mod.Empty:
                    break
        return batch

    def _dead_letter(self, m: _Inbound, error: str) -> None:
        self.stats.dead_letters += 1
        log.warning("bridge: set aside a malformed message on %s: %s", m.topic, error)
        try:
            text: str | None = m.payload.decode()
            b64 = None
        except UnicodeDecodeError:
            text, b64 = None, base64.b64encode(m.payload).decode()
        body = {"topic": m.topic, "error": error, "received_at": time.time(), "bridge": self.client_id,
                "payload": text, "payload_base64": b64}
        if self._client is not None:
            self._client.publish(self.dead_letter_topic, json.dumps(body), qos=1)

    def _lines_of(self, m: _Inbound) -> list[str] | None:
        """Points of one message, or None if it was malformed (dead-lettered)."""
        kind = kind_of_topic(self.prefix, m.topic)
        if kind is None or (kind not in BUILDERS and kind != "gateway"):
            self._dead_letter(m, f"unexpected topic {m.topic}")
            return None
        try:
            payload = decode(kind, m.payload)
        except MessageError as exc:
            self._dead_letter(m, str(exc))
            return None
        self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
        gw = payload.get("gateway")
        if kind == "gateway":
            sensors = self._gateway_sensors.setdefault(payload["gateway"], set())
            sensors.update(payload.get("sensors") or [])
            if payload["state"] == "offline" and sensors:
                return offline_lines(sorted(sensors), time.time())
            return []
        if gw:
            self._gateway_sensors.setdefault(gw, set()).add(payload["sensor"])
        return BUILDERS[kind](payload)

    def _write_with_retry(self, lines: list[str]) -> bool:
        """Write until stored; False only if stopping before it could be stored."""
        backoff = 0.1
        while True:
            try:
                self.writer.write(lines)
                self.influx_last_ok, self.influx_failing_since = time.time(), None
                return True
            except WriteError as exc:
                self.stats.write_failures += 1
                self.influx_failing_since = self.influx_failing_since or time.time()
                self.influx_last_error = str(exc)[:300]
                if not exc.retry and len(lines) > 1:
                    # isolate the point InfluxDB rejects; store the rest
                    mid = len(lines) // 2
                    return self._write_with_retry(lines[:mid]) and self._write_with_retry(lines[mid:])
                if not exc.retry and "rejected the data" in str(exc):
                    log.error("bridge: InfluxDB rejects a point, dropping it: %s (%s)", lines[0][:200], exc)
                    self.influx_failing_since = None  # InfluxDB answers; the point was the problem
                    return True
                log.warning("bridge: %s; holding %d point(s), retrying in %.1fs", exc, len(lines), backoff)
            if self._stop.wait(backoff):
                return False
            backoff = min(backoff * 2, self.max_backoff_s)

    def _ack(self, batch: list[_Inbound]) -> None:
        """PUBACK every QoS 1 message of this connection in the batch: one write for all (4 bytes each)."""
        gen = self._generation
        client = self._client
        if client is None:
            return
        mids = [m.mid for m in batch if m.qos == 1 and m.generation == gen]
        if mids:
            from paho.mqtt.client import PUBACK

            blob = struct.pack(f"!{len(mids)}I", *[(0x40 << 24) | (2 << 16) | mid for mid in mids])
            client._packet_queue(PUBACK, blob, 0, 0)  # noqa: SLF001 - paho has no bulk ack
            self.stats.acked += len(mids)
        for m in batch:
            if m.qos == 2 and m.generation == gen:  # not subscribed with QoS 2, but never leave one unanswered
                client.ack(m.mid, m.qos)
                self.stats.acked += 1

    def _prepare(self, batch: list[_Inbound]) -> list[str]:
        """Validate a batch and build its lines (malformed messages are dead-lettered)."""
        self.stats.received += len(batch)
        lines: list[str] = []
        for m in batch:
            got = self._lines_of(m)
            if got:
                lines.extend(got)
        return lines

    def _finish(self, batch: list[_Inbound], n_lines: int) -> None:
        self.stats.points += n_lines
        self.stats.batches += 1
        self.stats.stored_messages += len(batch)
        self._ack(batch)

    def process(self, batch: list[_Inbound]) -> bool:
        """Validate, write and acknowledge one batch; False if stopped before it was stored."""
        lines = self._prepare(batch)
        if lines and not self._write_with_retry(lines):
            return False
        self._finish(batch, len(lines))
        return True

    def _work(self) -> None:
        """Validate batch N+1 while batch N is being written; acknowledge strictly after each write."""
        from concurrent.futures import Future, ThreadPoolExecutor

        pool = ThreadPoolExecutor(1, thread_name_prefix="bridge-influx")
        pending: tuple[Future, list[_Inbound], int] | None = None

        def settle() -> bool:
            nonlocal pending
            assert pending is not None
            ok = pending[0].result()
            if ok:
                self._finish(pending[1], pending[2])
            pending = None
            return ok

        try:
            while not self._stop.is_set():
                batch = self._collect(0.01 if pending is not None else 0.2)
                if not batch:
                    if pending is not None and pending[0].done() and not settle():
                        return
                    continue
                lines = self._prepare(batch)
                if pending is not None and not settle():
                    return
                fut: Future = pool.submit(self._write_with_retry, lines) if lines else _done(True)
                pending = (fut, batch, len(lines))
            if pending is not None:
                settle()
        finally:
            pool.shutdown(wait=True)

    def run_forever(self, report_every_s: float = 60.0) -> None:
        """Block until :meth:`stop` is called from elsewhere (or a signal ends the process)."""
        last = time.monotonic()
        while not self._stop.wait(1.0):
            if time.monotonic() - last >= report_every_s:
                last = time.monotonic()
                log.info("bridge: %s", self.stats.as_dict())
