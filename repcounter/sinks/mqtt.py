"""MQTT sink: events become ``rep``/``set``/``live``/``status`` messages (see :mod:`repcounter.messages`).

Engine path never waits: :meth:`MqttSink.handle` builds payloads and hands them to a publisher thread, which
writes them to an on-disk queue (:class:`repcounter.sinks.mqtt_queue.DiskQueue`) and publishes them in order
with QoS 1, deleting each only when the broker has acknowledged it. While the broker is away the thread
reconnects with back-off and everything waits on disk; after a reconnect it re-sends from the oldest
unacknowledged message (a message may arrive twice; ids make that harmless). MQTT 5 first, 3.1.1 if the
broker refuses 5. The gateway's retained status is ``online`` on connect and the last will says ``offline``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import queue as queue_mod
import socket
import ssl
import threading
import time
import uuid
from pathlib import Path

import numpy as np

from repcounter.engine.events import SetEnded
from repcounter.errors import UserError
from repcounter.messages import (LiveTracker, OutMessage, RepMessages, encode, gateway_message, gateway_topic,
                                 sensor_topic, set_message, status_message)
from repcounter.mqtt_url import BrokerAddress, parse_broker_url
from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink
from repcounter.sinks.mqtt_queue import DiskQueue, OwnedQueue
from repcounter.sources.base import SensorStatus

log = logging.getLogger(__name__)

AUTH_FAILURES = {"Not authorized", "Bad user name or password", "Bad username or password",
                 "Client identifier not valid", "Banned", "Refused, bad user name or password",
                 "Refused, not authorised", "Refused, identifier rejected"}
PROTOCOL_FAILURES = {"Unsupported protocol version", "Refused, unacceptable protocol version"}


class ConnectOutcome:
    """Result of the first connection attempt (for :meth:`MqttSink.open`)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.fatal: str | None = None
        self.reason = ""


class Publisher(threading.Thread):
    """Owns the paho client: persists outgoing messages, publishes them in order, reconnects.

    Args:
        address: the broker.
        disk: the on-disk queue.
        client_id: MQTT client id.
        will: the gateway ``offline`` message (last will); ``online`` is published on every connect.
        window: QoS 1 messages in flight at once.
        keepalive_s: MQTT keep-alive, s (a dead gateway shows offline after ~1.5x this).
    """

    def __init__(self, address: BrokerAddress, disk: DiskQueue, client_id: str, will: OutMessage,
                 online: OutMessage, window: int = 200, keepalive_s: int = 10, max_backoff_s: float = 2.0,
                 reconnect_grace_s: float = 2.0) -> None:
        super().__init__(name="mqtt-publisher", daemon=True)
        self.address = address
        self.disk = disk
        self.client_id = client_id
        self.will = will
        self.online = online
        self.window = window
        self.keepalive_s = keepalive_s
        self.max_backoff_s = max_backoff_s
        self.reconnect_grace_s = reconnect_grace_s
        self._had_trouble = False
        self.inbox: queue_mod.SimpleQueue[OutMessage | None] = queue_mod.SimpleQueue()
        self.wake = threading.Event()
        self.first = ConnectOutcome()
        self.protocol_v5 = True
        self.connected = threading.Event()
        self.published = 0
        self.connects = 0
        self._stop_deadline: float | None = None
        self._lock = threading.Lock()
        self._acked: list[int] = []
        self._client = None
        self._connack: tuple[bool, str] | None = None
        self._lost = False
        self._final: OutMessage | None = None

    # ---------------------------------------------------------------- called from other threads
    def submit(self, msg: OutMessage) -> None:
        """Queue a message (never blocks)."""
        self.inbox.put(msg)
        self.wake.set()

    def publish_now(self, msg: OutMessage) -> bool:
        """Best-effort immediate publish without the disk queue (raw samples); False if not connected."""
        client = self._client
        if client is None or not self.connected.is_set():
            return False
        return client.publish(msg.topic, msg.payload, qos=msg.qos, retain=msg.retain).rc == 0

    def request_stop(self, timeout_s: float, final: OutMessage | None = None) -> None:
        """Drain for up to ``timeout_s`` s, send ``final`` (gateway offline) if connected, then stop."""
        self._final = final
        self._stop_deadline = time.monotonic() + timeout_s
        self.wake.set()

    # ---------------------------------------------------------------- the thread
    def _persist_inbox(self) -> None:
        while True:
            try:
                msg = self.inbox.get_nowait()
            except queue_mod.Empty:
                return
            if msg is not None:
                self.disk.push(msg)

    def _make_client(self):  # noqa: ANN202 - paho type
        import paho.mqtt.client as mqtt

        proto = mqtt.MQTTv5 if self.protocol_v5 else mqtt.MQTTv311
        kw = {} if self.protocol_v5 else {"clean_session": True}
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=proto, **kw)
        client.reconnect_delay_set(min_delay=3600, max_delay=3600)  # we reconnect with a fresh client ourselves
        client.max_inflight_messages_set(self.window)
        client.max_queued_messages_set(0)
        if self.address.username:
            client.username_pw_set(self.address.username, self.address.password)
        ctx = self.address.ssl_context()
        if ctx is not None:
            client.tls_set_context(ctx)
        client.will_set(self.will.topic, self.will.payload, qos=1, retain=True)

        def on_connect(_c, _u, _flags, reason, _props) -> None:  # noqa: ANN001
            self._connack = (not reason.is_failure, str(reason))
            self.wake.set()

        def on_disconnect(_c, _u, _flags, reason, _props) -> None:  # noqa: ANN001
            self._lost = True
            if self._connack is None:
                self._connack = (False, str(reason))
            self.wake.set()

        def on_publish(_c, _u, mid, _reason, _props) -> None:  # noqa: ANN001
            with self._lock:
                self._acked.append(mid)
            self.wake.set()

        client.on_connect = on_connect
        client.on_disconnect = on_disconnect
        client.on_publish = on_publish
        return client

    def _report_first(self, ok: bool, reason: str, fatal: str | None = None) -> None:
        if not self.first.done.is_set():
            self.first.ok, self.first.reason, self.first.fatal = ok, reason, fatal
            self.first.done.set()

    def _connect(self):  # noqa: ANN202
        """One connection attempt; returns a connected client or None (and why)."""
        client = self._make_client()
        self._connack = None
        self._lost = False
        try:
            client.connect(self.address.host, self.address.port, keepalive=self.keepalive_s)
        except ssl.SSLCertVerificationError as exc:
            self._report_first(False, str(exc), f"TLS: cannot verify the broker's certificate ({exc.verify_message})")
            log.warning("MQTT %s: %s", self.address.display, exc)
            return None
        except (OSError, ssl.SSLError) as exc:
            self._report_first(False, str(exc))
            log.debug("MQTT %s: connect failed: %s", self.address.display, exc)
            return None
        client.loop_start()
        deadline = time.monotonic() + 10.0
        while self._connack is None and time.monotonic() < deadline:
            self._persist_inbox()
            self.wake.wait(0.05)
            self.wake.clear()
        ok, reason = self._connack or (False, "no CONNACK within 10 s")
        if not ok:
            self._teardown(client)
            if self.protocol_v5 and (reason in PROTOCOL_FAILURES or "protocol" in reason.lower()):
                log.info("MQTT %s: broker refused MQTT 5 (%s); falling back to 3.1.1", self.address.display, reason)
                self.protocol_v5 = False
                return self._connect()
            fatal = f"broker {self.address.display} refused the connection: {reason}" if reason in AUTH_FAILURES else None
            self._report_first(False, reason, fatal)
            log.warning("MQTT %s: connection refused: %s", self.address.display, reason)
            return None
        self.connects += 1
        self._report_first(True, reason)
        return client

    @staticmethod
    def _teardown(client) -> None:  # noqa: ANN001
        try:
            client.disconnect()
        except Exception:  # noqa: BLE001
            pass
        try:
            client.loop_stop()
        except Exception:  # noqa: BLE001
            pass

    def run(self) -> None:
        backoff = 0.1
        next_attempt = 0.0
        while True:
            self._persist_inbox()
            now = time.monotonic()
            if self._stop_deadline is not None and (now >= self._stop_deadline or len(self.disk) == 0):
                break
            if now < next_attempt:
                self.wake.wait(min(0.05, next_attempt - now))
                self.wake.clear()
                continue
            client = self._connect()
            if client is None:
                self._had_trouble = True
                next_attempt = time.monotonic() + backoff
                backoff = min(backoff * 2, self.max_backoff_s)
                continue
            backoff = 0.1
            self._client = client
            self.connected.set()
            log.info("MQTT connected to %s (MQTT %s)", self.address.display, "5" if self.protocol_v5 else "3.1.1")
            try:
                client.publish(self.online.topic, self.online.payload, qos=1, retain=True)
                if self._had_trouble and self.reconnect_grace_s > 0:
                    # A broker that restarted may have forgotten the shared subscriptions of offline bridges
                    # (mosquitto 2.0 does): give them time to reconnect and resubscribe before the backlog.
                    self._wait_grace()
                self._had_trouble = False
                self._pump(client)
            finally:
                lost = self._lost
                self.connected.clear()
                self._client = None
                if self._stop_deadline is not None and not lost and self._final is not None:
                    info = client.publish(self._final.topic, self._final.payload, qos=1, retain=True)
                    try:
                        info.wait_for_publish(timeout=2.0)
                    except (RuntimeError, ValueError):
                        pass
                self._teardown(client)
            if lost:
                self._had_trouble = True
                log.warning("MQTT connection to %s lost; queueing on disk and reconnecting", self.address.display)
                next_attempt = time.monotonic() + 0.05
        self._report_first(False, "stopped")

    def _wait_grace(self) -> None:
        end = time.monotonic() + self.reconnect_grace_s
        while time.monotonic() < end and not self._lost:
            if self._stop_deadline is not None and time.monotonic() >= self._stop_deadline:
                return
            self._persist_inbox()
            self.wake.wait(0.05)
            self.wake.clear()

    def _pump(self, client) -> None:  # noqa: ANN001
        """Publish the queue in order while connected; ack what the broker acknowledged."""
        inflight: dict[int, int] = {}
        unmatched: set[int] = set()
        last_sent = 0
        with self._lock:
            self._acked = []  # acks of an earlier connection's message ids must not match this one's
        while not self._lost:
            self._persist_inbox()
            with self._lock:
                acked, self._acked = self._acked, []
            unmatched.update(acked)
            done = [inflight.pop(mid) for mid in list(unmatched) if mid in inflight]
            unmatched.difference_update([m for m in list(unmatched) if m not in inflight])
            if done:
                self.disk.ack(done)
                self.published += len(done)
            room = self.window - len(inflight)
            if room > 0:
                for qid, msg in self.disk.peek_after(last_sent, room):
                    info = client.publish(msg.topic, msg.payload, qos=msg.qos, retain=msg.retain)
                    if info.rc != 0:
                        self._lost = True
                        break
                    last_sent = qid
                    if msg.qos == 0:
                        self.disk.ack([qid])
                    else:
                        inflight[info.mid] = qid
            if self._stop_deadline is not None and not inflight and len(self.disk) == 0 and self.inbox.empty():
                return
            if self._stop_deadline is not None and time.monotonic() >= self._stop_deadline:
                return
            self.wake.wait(0.05)
            self.wake.clear()


class MqttSink(Sink):
    """Publish events to an MQTT broker (see module doc and docs/mqtt.md).

    Args:
        address: the broker.
        prefix: topic prefix.
        queue_dir: directory of the on-disk queue.
        raw: also publish raw samples (QoS 0, dropped while the broker is away).
        gateway_id: id of this gateway in topics and payloads (default: ``$REPCOUNTER_GATEWAY_ID`` or the host
            name; give each gateway process on one host its own id, since each has its own last will).
        close_timeout_s: how long :meth:`close` waits for the queue to drain, s (what is left stays on disk).
    """

    name = "mqtt"

    def __init__(self, address: BrokerAddress, prefix: str = "repcounter", queue_dir: Path | None = None,
                 raw: bool = False, gateway_id: str | None = None, close_timeout_s: float = 10.0,
                 keepalive_s: int = 10) -> None:
        from repcounter.paths import default_queue_dir

        self.address = address
        self.prefix = prefix.strip("/") or "repcounter"
        self.queue_dir = Path(queue_dir) if queue_dir else default_queue_dir()
        self.raw = raw
        self.gateway = gateway_id or os.environ.get("REPCOUNTER_GATEWAY_ID") or socket.gethostname() or "gateway"
        self.close_timeout_s = close_timeout_s
        self.keepalive_s = keepalive_s
        self.live = LiveTracker(self.gateway)
        self.reps = RepMessages(self.gateway)
        self.session: SessionInfo | None = None
        self.publisher: Publisher | None = None
        self.disk: DiskQueue | None = None
        self._sensors: list[str] = []
        self.undelivered = 0
        """Messages still on disk after :meth:`close` (sent on the next run)."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "MqttSink":
        """Build from the shared ``--mqtt*`` options; raises :class:`UserError` for bad ones."""
        address = parse_broker_url(args.mqtt, getattr(args, "mqtt_ca", None), getattr(args, "mqtt_cert", None),
                                   getattr(args, "mqtt_key", None))
        return cls(address, prefix=getattr(args, "mqtt_prefix", "repcounter") or "repcounter",
                   queue_dir=getattr(args, "mqtt_queue", None), raw=bool(getattr(args, "mqtt_raw", False)))

    def queue_stem(self) -> str:
        """Queue files are ``<stem>-<pid>-<id>.sqlite3``: one stem per broker and prefix, one file per process."""
        key = hashlib.sha1(f"{self.address.host}:{self.address.port}/{self.prefix}".encode()).hexdigest()[:10]
        return f"queue-{key}"

    def _gateway_msg(self, state: str) -> OutMessage:
        session = self.session.session_id if self.session else ""
        return OutMessage(gateway_topic(self.prefix, self.gateway),
                          encode(gateway_message(self.gateway, session, state, time.time(), self._sensors)), 1, True)

    async def open(self, session: SessionInfo) -> None:
        self.session = session
        self.address.ssl_context()  # raises UserError for unreadable TLS files
        try:
            self.disk = OwnedQueue(self.queue_dir, self.queue_stem())
        except Exception as exc:  # noqa: BLE001 - sqlite3/OSError
            raise UserError(f"cannot open the MQTT queue in {self.queue_dir}: {exc}") from None
        if self.disk.adopted:
            log.info("MQTT: %d message(s) left from an earlier run will be sent first", self.disk.adopted)
        client_id = f"repcounter-{self.gateway}-{uuid.uuid4().hex[:8]}"
        self.publisher = Publisher(self.address, self.disk, client_id, self._gateway_msg("offline"),
                                   self._gateway_msg("online"), keepalive_s=self.keepalive_s)
        self.publisher.start()
        first = self.publisher.first
        await asyncio.to_thread(first.done.wait, 10.0)
        if first.fatal:
            self.publisher.request_stop(0)
            await asyncio.to_thread(self.publisher.join, 5.0)
            self.disk.close()
            raise UserError(first.fatal)
        if not first.ok:
            log.warning("MQTT broker %s not reachable (%s); queueing events in %s until it is",
                        self.address.display, first.reason or "no answer yet", self.disk.path)

    def _submit(self, topic: str, payload: dict, retain: bool = False) -> None:
        if self.publisher is not None:
            self.publisher.submit(OutMessage(topic, encode(payload), 1, retain))

    async def handle(self, env: EventEnvelope) -> None:
        if env.sensor_id not in self._sensors:
            self._sensors.append(env.sensor_id)
        ev = env.event
        rep = self.reps.message(env)
        if rep is not None:
            self._submit(sensor_topic(self.prefix, env.sensor_id, "rep"), rep)
        elif isinstance(ev, SetEnded):
            self._submit(sensor_topic(self.prefix, env.sensor_id, "set"), set_message(env, self.gateway))
        live = self.live.update(env)
        if live is not None:
            self._submit(sensor_topic(self.prefix, env.sensor_id, "live"), live, retain=True)

    async def handle_status(self, status: SensorStatus) -> None:
        session = self.session.session_id if self.session else ""
        self._submit(sensor_topic(self.prefix, status.sensor_id, "status"),
                     status_message(status, session, self.gateway), retain=True)

    async def handle_samples(self, sensor_id: str, samples: np.ndarray) -> None:
        if not self.raw or self.publisher is None or not len(samples):
            return
        rows = [[None if v != v else round(float(v), 5) for v in row] for row in samples]
        payload = encode({"schema": "repcounter.raw", "v": 1, "sensor": sensor_id, "gateway": self.gateway,
                          "columns": ["t", "ax", "ay", "az", "gx", "gy", "gz"], "samples": rows})
        self.publisher.publish_now(OutMessage(sensor_topic(self.prefix, sensor_id, "raw"), payload, 0, False))

    async def close(self) -> None:
        if self.publisher is None:
            return
        self.publisher.request_stop(self.close_timeout_s, final=self._gateway_msg("offline"))
        await asyncio.to_thread(self.publisher.join, self.close_timeout_s + 15.0)
        left = len(self.disk) if self.disk is not None else 0
        self.undelivered = left
        if left:
            log.warning("MQTT: %d message(s) not delivered yet; kept in %s for the next run", left, self.disk.path)
        if self.disk is not None:
            self.disk.close()
        self.publisher = None
