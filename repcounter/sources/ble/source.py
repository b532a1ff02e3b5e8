"""``BleSource``: live wrist sensors as a :class:`repcounter.sources.base.Source`.

One task per sensor connects (bleak-retry-connector), streams, decodes each notification with the
profile's decoder, rebuilds sample times from the device clock (:mod:`.timing`) and yields
:class:`SampleBatch` items. When a sensor drops out it reports ``dropout`` and reconnects with backoff;
when it is back it reports ``online`` and the samples continue after an honest gap (the engine keeps
the set going over a short gap). A sensor away longer than ``offline_after_s`` is reported ``offline``,
which closes its set. Malformed, truncated or unknown notifications are dropped and counted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import AsyncIterator

import numpy as np

from repcounter.sources.base import SampleBatch, SensorStatus, SourceItem
from repcounter.sources.ble.frames import BadPacket
from repcounter.sources.ble.scanner import FoundSensor
from repcounter.sources.ble.timing import ClockOrigin, ImuAssembler, StreamClock

log = logging.getLogger(__name__)

_DONE = object()


class SensorRunner:
    """Keeps one sensor streaming; puts batches and status changes on a queue.

    Args:
        found: the sensor (from a scan).
        queue: where items go.
        sensor_id: id the batches carry (default: the advertised name).
        offline_after_s: give up after the sensor has been away this long (s).
        stall_after_s: connected but silent this long (s) counts as a dropout.
    """

    def __init__(self, found: FoundSensor, queue: asyncio.Queue, sensor_id: str | None = None,
                 offline_after_s: float = 30.0, stall_after_s: float = 3.0) -> None:
        self.found = found
        self.profile = found.profile
        self.queue = queue
        self.sensor_id = sensor_id or found.name
        self.offline_after_s = offline_after_s
        self.stall_after_s = stall_after_s
        origin = ClockOrigin()
        rate = self.profile.rate_hz
        self.clocks = {s: StreamClock(rate, origin=origin) for s in ("acc", "gyro", "imu")}
        self.assembler = ImuAssembler(self.profile.separate_gyro_stream, rate)
        self.decoder = self.profile.make_decoder()
        self.bad_packets = 0
        self.samples_out = 0
        self.battery: int | None = found.battery_pct
        self.reconnects = 0
        self.downtimes: list[float] = []
        self._last_data = 0.0
        self._last_arrival: float | None = None
        self._lost = asyncio.Event()

    @property
    def dropped_packets(self) -> int:
        """Packets of samples lost over the air so far (from sequence numbers or the device clock).

        Polar sends acc and gyro in separate notifications; a lost stretch counts once (the larger count).
        """
        return max(self.clocks["acc"].dropped_packets + self.clocks["imu"].dropped_packets,
                   self.clocks["gyro"].dropped_packets)

    def _status(self, state: str, message: str, **extra: object) -> None:
        log.log(logging.WARNING if state in ("dropout", "offline") else logging.INFO, "%s", message)
        base = {"address": self.found.address, "profile": self.profile.key, "reconnects": self.reconnects}
        self.queue.put_nowait(SensorStatus(self.sensor_id, state, message, time.time(), self.dropped_packets,
                                           self.bad_packets, self.battery, {**base, **extra}))

    def _emit(self, rows: np.ndarray) -> None:
        if len(rows):
            self.samples_out += len(rows)
            self.queue.put_nowait(SampleBatch(self.sensor_id, rows, time.time()))

    def on_data(self, data: bytes) -> None:
        """A notification arrived (runs in bleak's callback; never raises)."""
        now = time.monotonic()
        self._last_data = now
        arrival_gap = now - self._last_arrival if self._last_arrival is not None else 0.0
        self._last_arrival = now
        try:
            frames = self.decoder.decode(data)
            for frame in frames:
                placed = self.clocks[frame.stream].place(frame, arrival_gap)
                if placed is None:
                    continue
                if placed.dropped_packets:
                    log.info("%s: %d packet(s) lost in the air (%.2f s gap)", self.sensor_id,
                             placed.dropped_packets, placed.gap_s)
                self._emit(self.assembler.add(frame.stream, placed.times, placed.values))
        except BadPacket as exc:
            self.bad_packets += 1
            level = logging.WARNING if self.bad_packets in (1, 10, 100, 1000) else logging.DEBUG
            log.log(level, "%s: ignored a garbled packet (%s); %d so far", self.sensor_id, exc, self.bad_packets)
        except Exception:  # a decoder bug must not stop the stream
            self.bad_packets += 1
            log.exception("%s: could not decode a packet of %d bytes", self.sensor_id, len(data))

    def on_disconnect(self) -> None:
        self._lost.set()

    async def run(self) -> None:
        """Connect, stream, reconnect ... until offline or cancelled. Always ends with ``offline``."""
        from repcounter.sources.ble.connection import Backoff, StartError, connect_and_start, stop_and_disconnect

        backoff = Backoff()
        lost_at: float | None = None
        started = time.monotonic()
        connected_once = False
        name = self.found.name
        why_offline = "stopped"
        link = None
        self._status("connecting", f"Connecting to {name} ({self.profile.name})...")
        try:
            while True:
                if lost_at is not None and time.monotonic() - lost_at > self.offline_after_s:
                    why_offline = (f"{name} did not come back within {self.offline_after_s:.0f} s - "
                                   "closed its set. Check the battery and stay near the gateway.")
                    return
                if not connected_once and time.monotonic() - started > self.offline_after_s:
                    why_offline = (f"Could not connect to {name} within {self.offline_after_s:.0f} s - is it "
                                   "connected to a phone or another app? Close that and try again.")
                    return
                self._lost.clear()
                try:
                    link = await connect_and_start(self.found.device, self.profile, name, self.on_data,
                                                   self.on_disconnect)
                except StartError as exc:
                    why_offline = str(exc)
                    return
                except Exception as exc:  # bleak/D-Bus errors, timeouts: back off and try again
                    delay = backoff.next()
                    give_up_at = (lost_at if lost_at is not None else started) + self.offline_after_s
                    delay = min(delay, max(0.05, give_up_at - time.monotonic() + 0.05))
                    log.info("%s: connect attempt failed (%s); next try in %.1f s", name,
                             str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__, delay)
                    await asyncio.sleep(delay)
                    continue
                backoff.reset()
                connected_once = True
                if link.battery_pct is not None:
                    self.battery = link.battery_pct
                for c in self.clocks.values():
                    c.new_link()
                self._last_data = time.monotonic()
                if lost_at is None:
                    batt = f", battery {self.battery}%" if self.battery is not None else ""
                    self._status("online", f"{name} connected - streaming at {self.profile.rate_hz:g} Hz{batt}")
                else:
                    down = time.monotonic() - lost_at
                    self.downtimes.append(down)
                    self.reconnects += 1
                    self._status("online", f"{name} is back after {down:.1f} s - carry on, your set continues",
                                 downtime_s=round(down, 2))
                samples_before, was_lost_at = self.samples_out, lost_at
                lost_at = None
                reason = await self._wait_for_trouble()
                self._emit(self.assembler.flush())
                if was_lost_at is not None and self.samples_out == samples_before:
                    lost_at = was_lost_at  # connected but never streamed: still away since then
                else:
                    lost_at = time.monotonic() - (self.stall_after_s if reason == "stalled" else 0.0)
                self._status("dropout", f"Lost {name} ({reason}) - reconnecting... keep going, the set "
                             f"continues if it is back within a few seconds")
                await stop_and_disconnect(link, self.profile)
                link = None
        finally:
            self._emit(self.assembler.flush())
            if link is not None:
                try:
                    await asyncio.shield(stop_and_disconnect(link, self.profile))
                except BaseException:
                    pass
            self._status("offline", why_offline if why_offline != "stopped" else f"{name} disconnected - session over")
            self.queue.put_nowait(_DONE)

    async def _wait_for_trouble(self) -> str:
        """Return why streaming stopped: ``link lost`` or ``stalled``."""
        while True:
            try:
                await asyncio.wait_for(self._lost.wait(), 0.5)
                return "link lost"
            except asyncio.TimeoutError:
                if time.monotonic() - self._last_data > self.stall_after_s:
                    return "stalled"


class BleSource:
    """Stream from one or more BLE sensors at once (several on one adapter).

    Args:
        sensors: sensors to connect (from :func:`repcounter.sources.ble.scanner.scan`).
        offline_after_s: a sensor away longer than this is reported offline (its set ends).
        stall_after_s: connected but silent this long counts as a dropout.
        duration_s: stop after this long (None: until every sensor is offline).
        sensor_ids: optional ids per address (default: advertised names).
    """

    def __init__(self, sensors: list[FoundSensor], offline_after_s: float = 30.0, stall_after_s: float = 3.0,
                 duration_s: float | None = None, sensor_ids: dict[str, str] | None = None) -> None:
        self.sensors = sensors
        self.offline_after_s = offline_after_s
        self.stall_after_s = stall_after_s
        self.duration_s = duration_s
        self.sensor_ids = sensor_ids or {}
        self.runners: list[SensorRunner] = []
        self.description = "BLE: " + ", ".join(s.name for s in sensors)

    async def stream(self) -> AsyncIterator[SourceItem]:
        queue: asyncio.Queue = asyncio.Queue()
        self.runners = [SensorRunner(s, queue, self.sensor_ids.get(s.address), self.offline_after_s,
                                     self.stall_after_s) for s in self.sensors]
        tasks = [asyncio.create_task(r.run(), name=f"ble-{r.sensor_id}") for r in self.runners]
        live = len(tasks)
        deadline = time.monotonic() + self.duration_s if self.duration_s else None
        stopping = False
        try:
            while live:
                timeout = None if deadline is None or stopping else max(0.0, deadline - time.monotonic())
                try:
                    item = await asyncio.wait_for(queue.get(), timeout)
                except asyncio.TimeoutError:
                    stopping = True
                    for t in tasks:
                        t.cancel()
                    continue
                if item is _DONE:
                    live -= 1
                    continue
                yield item
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
