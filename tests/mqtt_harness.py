"""Helpers for MQTT/bridge tests: engine events built from the event dataclasses, a collecting subscriber."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt

from repcounter.engine.events import Rep, RepAnnounced, RepCompleted, SetEnded, SetStarted, SetSummary
from repcounter.sinks.base import EventEnvelope, SessionInfo


def make_rep(index: int, start: float, conc: float = 1.0, top: float = 0.3, ecc: float = 1.8,
             bottom: float = 0.4, partial: bool = False) -> Rep:
    """A rep with the given phase durations (s), starting at signal time ``start`` (s)."""
    return Rep(index=index, start=start, concentric_end=start + conc, end=start + conc + top + ecc + bottom,
               concentric_s=conc, pause_top_s=top, eccentric_s=ecc, pause_bottom_s=bottom, rom_deg=80.0 + index,
               peak_speed_dps=150.0 - index, confidence=0.9, partial=partial)


def set_events(set_index: int, n_reps: int, start: float, exercise: str = "pullup") -> list[Any]:
    """Engine events of one set in emission order (SetStarted, per rep announced+completed, SetEnded)."""
    events: list[Any] = []
    reps = []
    t = start
    for i in range(1, n_reps + 1):
        rep = make_rep(i, t, conc=1.0 + 0.05 * i, partial=(i == n_reps and n_reps > 3))
        if i == 1:
            events.append(SetStarted(t=rep.concentric_end + 0.2, set_index=set_index, start=rep.start, exercise=exercise))
        announced = Rep(**{**rep.__dict__, "end": rep.concentric_end, "pause_top_s": float("nan"),
                           "eccentric_s": float("nan"), "pause_bottom_s": float("nan")})
        events.append(RepAnnounced(t=rep.concentric_end + 0.2, set_index=set_index, rep=announced, exercise=exercise))
        events.append(RepCompleted(t=rep.end + 0.2, set_index=set_index, rep=rep, exercise=exercise))
        reps.append(rep)
        t = rep.end
    summary = SetSummary(set_index=set_index, exercise=exercise, exercise_confidence=0.8, start=reps[0].start,
                         end=reps[-1].end, reps=tuple(reps),
                         time_under_tension_s=sum(r.duration_s - r.pause_bottom_s for r in reps), tempo="2-0-1-0",
                         mean_concentric_s=sum(r.concentric_s for r in reps) / n_reps, mean_pause_top_s=0.3,
                         mean_eccentric_s=1.8, mean_pause_bottom_s=0.4, slowdown_pct=12.5, mean_rom_deg=82.0,
                         partial_reps=tuple(r.index for r in reps if r.partial))
    events.append(SetEnded(t=reps[-1].end + 3.0, summary=summary))
    return events


def session_envelopes(sets: list[int], sensor: str = "wrist-left", session: SessionInfo | None = None,
                      exercise: str = "pullup", origin_wall: float | None = None) -> list[EventEnvelope]:
    """Envelopes of a whole session: one set per entry of ``sets`` (its rep count), 60 s apart."""
    session = session or SessionInfo.new("test", exercise)
    origin_wall = time.time() - 3600 if origin_wall is None else origin_wall
    out = []
    seq = 0
    for k, n in enumerate(sets, start=1):
        for ev in set_events(k, n, start=10.0 + 60.0 * (k - 1), exercise=exercise):
            out.append(EventEnvelope(sensor, session.session_id, seq, ev, time.time(), time.time(), 0.0, origin_wall))
            seq += 1
    return out


@dataclass
class Received:
    topic: str
    payload: dict[str, Any] | bytes
    retain: bool
    at: float


@dataclass
class Collector:
    """A real MQTT subscriber that records what arrives (in a background thread)."""

    host: str
    port: int
    topics: list[str]
    username: str | None = None
    password: str | None = None
    persistent: bool = False
    client_id: str | None = None
    messages: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client_id = self.client_id or f"collector-{uuid.uuid4().hex[:6]}"
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5)
        self.client.reconnect_delay_set(0.1, 0.5)
        if self.username:
            self.client.username_pw_set(self.username, self.password)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: self._subscribed.set()

    def _on_connect(self, client: mqtt.Client, *_a: Any) -> None:
        client.subscribe([(t, 1) for t in self.topics])

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            payload: Any = json.loads(msg.payload)
        except ValueError:
            payload = msg.payload
        with self._lock:
            self.messages.append(Received(msg.topic, payload, bool(msg.retain), time.time()))

    def start(self) -> "Collector":
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600 if self.persistent else 0
        self.client.connect(self.host, self.port, clean_start=not self.persistent, properties=props)
        self.client.loop_start()
        if not self._subscribed.wait(15):
            raise TimeoutError("collector did not subscribe")
        return self

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    @property
    def connected(self) -> bool:
        return self.client.is_connected()

    def of_kind(self, suffix: str) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if m.topic.endswith("/" + suffix)]

    def wait_count(self, suffix: str, n: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.of_kind(suffix)
            if len(got) >= n:
                return got
            time.sleep(0.05)
        raise TimeoutError(f"got {len(self.of_kind(suffix))} {suffix} messages, wanted {n}")


def publish(port: int, messages: list[tuple[str, bytes | str]], host: str = "127.0.0.1", qos: int = 1,
            retain: bool = False) -> None:
    """Publish raw messages with a plain paho client and wait until the broker acknowledged all of them."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:6]}",
                         protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.connect(host, port)
    client.loop_start()
    for k in range(0, len(messages), 20000):  # message ids are 16 bit: keep fewer than 65535 in flight
        infos = [client.publish(t, p, qos=qos, retain=retain) for t, p in messages[k:k + 20000]]
        for info in infos:
            info.wait_for_publish(60)
    client.disconnect()
    client.loop_stop()


def envelope_messages(envs: list[EventEnvelope], gateway: str = "gw-test", prefix: str = "repcounter"
                      ) -> list[tuple[str, bytes]]:
    """The (topic, payload) pairs the MQTT sink would publish for these envelopes (no broker needed)."""
    from repcounter.messages import LiveTracker, RepMessages, encode, sensor_topic, set_message

    live = LiveTracker(gateway)
    reps = RepMessages(gateway)
    out = []
    for env in envs:
        rep = reps.message(env)
        if rep is not None:
            out.append((sensor_topic(prefix, env.sensor_id, "rep"), encode(rep)))
        elif isinstance(env.event, SetEnded):
            out.append((sensor_topic(prefix, env.sensor_id, "set"), encode(set_message(env, gateway))))
        p = live.update(env)
        if p:
            out.append((sensor_topic(prefix, env.sensor_id, "live"), encode(p)))
    return out


def doomed_gateway(broker_url: str, queue_dir: str, gateway_id: str, after_open: str = "") -> "subprocess.Popen[str]":
    """A child process with an open :class:`MqttSink` that runs ``after_open`` (statements in ``async def
    main()``, ``sink`` in scope), prints ``ready`` and sleeps: kill it to make a gateway die without a
    DISCONNECT, so the broker publishes its last will. Read the ``ready`` line before killing it."""
    import subprocess
    import sys
    import textwrap

    body = textwrap.indent(textwrap.dedent(after_open), "    ")
    script = "\n".join([
        "import asyncio, time",
        "from repcounter.mqtt_url import parse_broker_url",
        "from repcounter.sinks.base import SessionInfo",
        "from repcounter.sinks.mqtt import MqttSink",
        "from repcounter.sources.base import SensorStatus",
        "async def main():",
        f"    sink = MqttSink(parse_broker_url({broker_url!r}), queue_dir={queue_dir!r}, gateway_id={gateway_id!r})",
        "    await sink.open(SessionInfo.new('test'))",
        body,
        "    print('ready', flush=True)",
        "    await asyncio.sleep(60)",
        "asyncio.run(main())",
    ])
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
