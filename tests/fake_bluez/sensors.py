"""Emulated wrist sensors: a GATT layout, the protocol's commands, and notifications encoded in the
sensor's packet format from a session, played on the sensor's own clock. They can drop out, lose
packets and send malformed notifications."""

from __future__ import annotations

import asyncio
import logging
import struct
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from repcounter.sources.ble import movesense, open_profile, polar_pmd, uuids

log = logging.getLogger("fake_bluez")


@dataclass
class CharSpec:
    """A characteristic the sensor serves: role, UUID, flags."""

    role: str
    uuid: str
    flags: list[str]


@dataclass
class Behaviour:
    """What goes wrong, all in seconds of the sensor's stream clock (since streaming first started).

    Attributes:
        dropouts: [(at_s, duration_s)]: the link is lost and the sensor is out of range for a while.
        drop_packets: packet numbers that never arrive (lost over the air).
        garbage_every: after every N-th packet send one malformed/unknown notification (0 = never).
        vanish_at_end: when the session is over the sensor goes out of range for good.
        connect_wait_s: how long a Connect waits for an out-of-range sensor before it fails.
        advertising_interval_s: delay before a returning sensor is seen and connected.
    """

    dropouts: list[tuple[float, float]] = field(default_factory=list)
    drop_packets: set[int] = field(default_factory=set)
    garbage_every: int = 0
    vanish_at_end: bool = True
    connect_wait_s: float = 2.0
    advertising_interval_s: float = 0.1


class FakeSensor:
    """Base class; subclasses implement the protocol. ``samples`` is (n,7) t, g, deg/s."""

    family = ""
    service_uuid = ""

    def __init__(self, name: str, address: str, samples: np.ndarray, rate_hz: float,
                 behaviour: Behaviour | None = None, battery: int = 87, samples_per_packet: int = 5) -> None:
        self.name, self.address = name, address
        self.samples = np.asarray(samples, dtype=np.float64)
        self.rate_hz = rate_hz
        self.behaviour = behaviour or Behaviour()
        self.battery = battery
        self.spp = samples_per_packet
        self.advertised_uuids = [self.service_uuid]
        self.manufacturer_data: dict[int, bytes] = {}
        self.bluez: Any = None
        self.device: Any = None
        self.chars: dict[str, Any] = {}
        self.in_range = True
        self.boot = time.monotonic() - 1234.5  # device clock: seconds since power-on
        self.stream_t0: float | None = None  # device time when the session started playing
        self.next_sample = 0
        self.packet_no = 0
        self.sent_packets = 0
        self.sent_garbage = 0
        self.lost_packets = 0
        self.connects = 0
        self.finished = False
        self._task: asyncio.Task[None] | None = None
        self.log: list[str] = []

    # ---- clock and layout -------------------------------------------------------------------------------
    def device_time(self) -> float:
        return time.monotonic() - self.boot

    def char_specs(self) -> list[CharSpec]:
        raise NotImplementedError

    def streaming(self) -> bool:
        """Whether the protocol state says samples should go out now."""
        raise NotImplementedError

    # ---- connection ---------------------------------------------------------------------------------
    async def on_connect_request(self) -> None:
        from dbus_fast import DBusError

        if not self.in_range:
            # like BlueZ: an LE connect waits for the device to advertise again, then gives up
            waited = 0.0
            while not self.in_range and waited < self.behaviour.connect_wait_s:
                await asyncio.sleep(0.05)
                waited += 0.05
            if not self.in_range:
                raise DBusError("org.bluez.Error.Failed", "Software caused connection abort")
            await asyncio.sleep(self.behaviour.advertising_interval_s)
        if self.device.connected:
            return
        self.connects += 1
        self.reset_protocol()
        self.device.connected = True
        self.device.emit_properties_changed({"Connected": True})
        await asyncio.sleep(0.02)
        self.bluez.add_gatt(self)
        await asyncio.sleep(0.02)
        self.device.services_resolved = True
        self.device.emit_properties_changed({"ServicesResolved": True})
        self.log.append("connected")

    async def on_disconnect_request(self) -> None:
        self.link_lost("disconnected by the gateway")

    def link_lost(self, why: str) -> None:
        if self.device is None or not self.device.connected:
            return
        self.log.append(why)
        for ch in self.chars.values():
            ch.notifying = False
        self.reset_protocol()
        self.device.services_resolved = False
        self.device.connected = False
        self.device.emit_properties_changed({"ServicesResolved": False, "Connected": False})
        self.bluez.remove_gatt(self)

    def reset_protocol(self) -> None:
        """Forget subscriptions (a new link starts fresh)."""

    def read_battery(self) -> bytes:
        return bytes([self.battery])

    # ---- playback ----------------------------------------------------------------------------------------
    def start_playback(self) -> None:
        if self.stream_t0 is None:
            self.stream_t0 = self.device_time()
            self._task = asyncio.get_running_loop().create_task(self._play())

    async def _play(self) -> None:
        t = self.samples[:, 0] - self.samples[0, 0]
        assert self.stream_t0 is not None
        dropouts = sorted(self.behaviour.dropouts)
        interval = self.spp / self.rate_hz
        while self.next_sample < len(t):
            now = self.device_time() - self.stream_t0
            for at, dur in dropouts:
                if at <= now < at + dur and self.in_range:
                    self.in_range = False
                    self.link_lost("went out of range")
                    self.bluez.loop.call_later(at + dur - now, self._back_in_range)
            due = int(np.searchsorted(t, now, side="right"))
            while due - self.next_sample >= self.spp or (due >= len(t) > self.next_sample):
                end = min(self.next_sample + self.spp, len(t))
                self._send_packet(self.next_sample, end)
                self.next_sample = end
            await asyncio.sleep(interval / 2)
        self.finished = True
        if self.behaviour.vanish_at_end:
            await asyncio.sleep(0.2)
            self.in_range = False
            self.link_lost("went away (session over)")

    def _back_in_range(self) -> None:
        if not self.finished:
            self.in_range = True
            self.log.append("back in range")

    def _send_packet(self, start: int, end: int) -> None:
        number = self.packet_no
        self.packet_no += 1
        if not (self.device.connected and self.streaming()):
            self.lost_packets += 1
            return
        if number in self.behaviour.drop_packets:
            self.lost_packets += 1
            return
        assert self.stream_t0 is not None
        dev_t = self.stream_t0 + (self.samples[start:end, 0] - self.samples[0, 0])
        for payload in self.encode(self.samples[start:end], dev_t, number):
            self.chars["notify"].notify(payload)
        self.sent_packets += 1
        if self.behaviour.garbage_every and (number + 1) % self.behaviour.garbage_every == 0:
            self.chars["notify"].notify(self.garbage(number))
            self.sent_garbage += 1

    def encode(self, rows: np.ndarray, dev_t: np.ndarray, number: int) -> list[bytes]:
        raise NotImplementedError

    def garbage(self, number: int) -> bytes:
        kinds = [b"\x07\x01", bytes([0xEE]) + bytes(range(30)), b""]
        return kinds[(number // max(self.behaviour.garbage_every, 1)) % len(kinds)] or b"\x00"

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


class PolarSensor(FakeSensor):
    """Polar Verity Sense: PMD control point + data; ACC and GYRO as delta-compressed frames."""

    family = "polar_pmd"
    service_uuid = uuids.POLAR_PMD_SERVICE
    GYRO_FACTOR = 0.06103515625

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("samples_per_packet", 9)
        super().__init__(*args, **kwargs)
        self.advertised_uuids = [uuids.HEART_RATE_SERVICE, uuids.POLAR_PMD_SERVICE]
        self.started: set[int] = set()
        self.bad_commands: list[str] = []
        self.epoch_offset_ns = int((time.time() - uuids.POLAR_EPOCH_UNIX_S - self.device_time()) * 1e9)

    def char_specs(self) -> list[CharSpec]:
        return [CharSpec("control", uuids.POLAR_PMD_CONTROL, ["read", "write", "indicate"]),
                CharSpec("notify", uuids.POLAR_PMD_DATA, ["notify"])]

    def reset_protocol(self) -> None:
        self.started = set()

    def streaming(self) -> bool:
        return polar_pmd.MEAS_ACC in self.started and self.chars["notify"].notifying

    def on_write(self, role: str, data: bytes) -> str | None:
        if role != "control":
            return "Write not permitted"
        if data[:1] == bytes([polar_pmd.OP_STOP]) and len(data) >= 2:
            self.started.discard(data[1])
            self._respond(data[0], data[1], 0)
            return None
        try:
            meas, settings = polar_pmd.parse_start_command(data)
        except ValueError as exc:
            self.bad_commands.append(data.hex())
            self._respond(data[0] if data else 0, data[1] if len(data) > 1 else 0, 2)
            return None if exc else None
        ok = settings.get(0) == int(self.rate_hz) and settings.get(1) == 16 and meas in (polar_pmd.MEAS_ACC, polar_pmd.MEAS_GYRO)
        if not ok:
            self.bad_commands.append(data.hex())
            self._respond(polar_pmd.OP_START, meas, 5)  # invalid parameter
            return None
        self.started.add(meas)
        self._respond(polar_pmd.OP_START, meas, 0)
        self.start_playback()
        return None

    def _respond(self, op: int, meas: int, status: int) -> None:
        ch = self.chars.get("control")
        if ch is not None and ch.notifying:
            ch.notify(bytes([polar_pmd.CP_RESPONSE, op, meas, status, 0]))

    def read_control(self) -> bytes:
        return bytes([0x0F, 0x25, 0x00])  # features: ECG? no; ACC, PPG, PPI, GYRO, MAG

    def encode(self, rows: np.ndarray, dev_t: np.ndarray, number: int) -> list[bytes]:
        ts_last = int(round(dev_t[-1] * 1e9)) + self.epoch_offset_ns
        acc = np.round(rows[:, 1:4] * 1000.0).astype(np.int64)
        out = [polar_pmd.encode_frame(polar_pmd.MEAS_ACC, ts_last, acc, 1, compressed=True)]
        if polar_pmd.MEAS_GYRO in self.started and np.isfinite(rows[:, 4:7]).all():
            gyro = np.round(rows[:, 4:7] / self.GYRO_FACTOR).astype(np.int64)
            out.append(polar_pmd.encode_frame(polar_pmd.MEAS_GYRO, ts_last, gyro, 0, compressed=True))
        return out

    @staticmethod
    def quantise(samples: np.ndarray) -> np.ndarray:
        """What the gateway should decode from ``samples`` (same rounding as the sensor)."""
        q = samples.copy()
        q[:, 1:4] = np.round(q[:, 1:4] * 1000.0) / 1000.0
        q[:, 4:7] = np.round(q[:, 4:7] / PolarSensor.GYRO_FACTOR) * PolarSensor.GYRO_FACTOR
        return q


class MovesenseSensor(FakeSensor):
    """Movesense with gatt_sensordata_app: subscribe to /Meas/IMU6/<rate>, float32 notifications."""

    family = "movesense"
    service_uuid = uuids.MOVESENSE_SENSORDATA_SERVICE

    def __init__(self, *args: Any, split: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("samples_per_packet", 4)
        super().__init__(*args, **kwargs)
        self.ref: int | None = None
        self.split = split
        self.bad_commands: list[str] = []

    def char_specs(self) -> list[CharSpec]:
        return [CharSpec("write", uuids.MOVESENSE_SENSORDATA_WRITE, ["write", "write-without-response"]),
                CharSpec("notify", uuids.MOVESENSE_SENSORDATA_NOTIFY, ["notify"])]

    def reset_protocol(self) -> None:
        self.ref = None

    def streaming(self) -> bool:
        return self.ref is not None and self.chars["notify"].notifying

    def on_write(self, role: str, data: bytes) -> str | None:
        if len(data) >= 2 and data[0] == movesense.OP_SUBSCRIBE:
            path = data[2:].decode("ascii", "replace")
            if path != f"/Meas/IMU6/{int(self.rate_hz)}":
                self.bad_commands.append(path)
                return None
            self.ref = data[1]
            self.start_playback()
        elif len(data) >= 2 and data[0] == movesense.OP_UNSUBSCRIBE:
            self.ref = None
        return None

    def encode(self, rows: np.ndarray, dev_t: np.ndarray, number: int) -> list[bytes]:
        ts_ms = int(round(dev_t[0] * 1000.0))
        acc = rows[:, 1:4] * uuids.STANDARD_GRAVITY
        assert self.ref is not None
        return movesense.encode_notifications(self.ref, ts_ms, acc, rows[:, 4:7], split=self.split)

    @staticmethod
    def quantise(samples: np.ndarray) -> np.ndarray:
        q = samples.copy()
        q[:, 1:4] = (q[:, 1:4] * uuids.STANDARD_GRAVITY).astype(np.float32).astype(np.float64) / uuids.STANDARD_GRAVITY
        q[:, 4:7] = q[:, 4:7].astype(np.float32).astype(np.float64)
        return q


class OpenSensor(FakeSensor):
    """A do-it-yourself board speaking the repcounter open profile."""

    family = "open_profile"
    service_uuid = uuids.OPEN_SERVICE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = open_profile.OpenConfig(rate_hz=int(self.rate_hz), samples_per_packet=self.spp)
        self.seq = 0
        self.bad_commands: list[str] = []

    def char_specs(self) -> list[CharSpec]:
        return [CharSpec("notify", uuids.OPEN_DATA, ["notify"]),
                CharSpec("config", uuids.OPEN_CONFIG, ["read", "write"])]

    def streaming(self) -> bool:
        return self.chars["notify"].notifying

    def on_notify(self, role: str, on: bool) -> None:
        if role == "notify" and on:
            self.start_playback()

    def on_write(self, role: str, data: bytes) -> str | None:
        if role != "config":
            return "Write not permitted"
        try:
            cfg = open_profile.OpenConfig.decode(data)
        except ValueError as exc:
            self.bad_commands.append(data.hex())
            return str(exc)
        if cfg.rate_hz != int(self.rate_hz):
            self.bad_commands.append(data.hex())
            return "rate not supported by this emulated session"
        self.config = cfg
        self.spp = cfg.samples_per_packet
        return None

    def read_config(self) -> bytes:
        return self.config.encode()

    def encode(self, rows: np.ndarray, dev_t: np.ndarray, number: int) -> list[bytes]:
        cfg = self.config
        t_us = int(round(dev_t[0] * 1e6))
        interval_us = int(round(1e6 / cfg.rate_hz))
        gyro = rows[:, 4:7] if cfg.gyro else None
        pkt = open_profile.encode_packet(number, t_us, interval_us, rows[:, 1:4], gyro, cfg.acc_range_g, cfg.gyro_range_dps)
        return [pkt]

    @staticmethod
    def quantise(samples: np.ndarray, acc_range: int = 8, gyro_range: int = 2000) -> np.ndarray:
        q = samples.copy()
        q[:, 1:4] = np.clip(np.round(q[:, 1:4] * 32768.0 / acc_range), -32768, 32767) * acc_range / 32768.0
        q[:, 4:7] = np.clip(np.round(q[:, 4:7] * 32768.0 / gyro_range), -32768, 32767) * gyro_range / 32768.0
        return q


class ScaleSensor(FakeSensor):
    """A device that is not ours (kitchen scale, someone's heart rate strap); the gateway must ignore it."""

    family = "other"
    service_uuid = uuids.WEIGHT_SCALE_SERVICE

    def __init__(self, *args: Any, advertised: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if advertised:
            self.advertised_uuids = list(advertised)

    def char_specs(self) -> list[CharSpec]:
        return []

    def streaming(self) -> bool:
        return False


FAMILY_CLASSES = {"polar_pmd": PolarSensor, "movesense": MovesenseSensor, "open_profile": OpenSensor, "other": ScaleSensor}
