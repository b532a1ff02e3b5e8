"""Connect to one sensor with bleak + bleak-retry-connector, start its stream, and back off between tries."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Callable

from bleak import BleakClient
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError
from bleak_retry_connector import establish_connection

from repcounter.sources.ble import uuids
from repcounter.sources.ble.profiles import Profile

log = logging.getLogger(__name__)

CONTROL_RESPONSE_TIMEOUT_S = 2.0


class Backoff:
    """Exponential backoff with jitter (s): 0.25, 0.5, 1, 1 ... capped (a lifter wants the sensor back fast;
    retrying a local adapter every second costs nothing)."""

    def __init__(self, first_s: float = 0.25, cap_s: float = 1.0) -> None:
        self.first_s, self.cap_s = first_s, cap_s
        self.attempt = 0

    def next(self) -> float:
        delay = min(self.cap_s, self.first_s * (2**self.attempt))
        self.attempt += 1
        return delay * random.uniform(0.8, 1.0)

    def reset(self) -> None:
        self.attempt = 0


class StartError(RuntimeError):
    """The sensor connected but refused to stream (wrong profile settings?)."""


@dataclass
class Link:
    """A live connection: the bleak client and what was read at start."""

    client: BleakClient
    battery_pct: int | None


async def read_battery(client: BleakClient) -> int | None:
    """Battery level (%) from the standard battery service, or None."""
    try:
        char = client.services.get_characteristic(uuids.BATTERY_LEVEL)
        if char is None:
            return None
        data = await client.read_gatt_char(char)
        return int(data[0]) if data else None
    except (BleakError, asyncio.TimeoutError, IndexError, EOFError) as exc:
        log.debug("battery not readable: %s", exc)
        return None


def _polar_response_problem(data: bytes) -> str | None:
    """None if a PMD control-point response says success, else the problem."""
    if len(data) >= 4 and data[0] == 0xF0 and data[3] != 0:
        return f"the sensor refused command {data[1]:#04x} for measurement {data[2]} (error {data[3]})"
    return None


async def connect_and_start(device: BLEDevice, profile: Profile, label: str,
                            on_data: Callable[[bytes], None], on_disconnect: Callable[[], None],
                            max_attempts: int = 2) -> Link:
    """Connect (with bleak-retry-connector), read the battery, subscribe and send the start commands.

    Raises BleakError / asyncio.TimeoutError / StartError when this attempt fails; the caller backs off.
    """

    def disconnected(_client: BleakClient) -> None:
        on_disconnect()

    client = await establish_connection(BleakClient, device, label, disconnected_callback=disconnected,
                                        max_attempts=max_attempts)
    try:
        battery = await read_battery(client) if profile.battery else None
        responses: asyncio.Queue[bytes] = asyncio.Queue()
        response_char = profile.chars.get("response")
        if response_char:
            await client.start_notify(response_char, lambda _c, data: responses.put_nowait(bytes(data)))
        await client.start_notify(profile.chars["notify"], lambda _c, data: on_data(bytes(data)))
        for command in profile.start:
            await client.write_gatt_char(profile.chars[command.char], command.data, response=command.response)
            if response_char and profile.chars[command.char] == response_char:
                try:
                    reply = await asyncio.wait_for(responses.get(), CONTROL_RESPONSE_TIMEOUT_S)
                except asyncio.TimeoutError:
                    log.info("%s: no answer to a start command; carrying on", label)
                    continue
                problem = _polar_response_problem(reply)
                if problem:
                    raise StartError(f"{label}: {problem}; check {profile.path} [stream]")
        return Link(client, battery)
    except BaseException:
        try:
            await asyncio.wait_for(client.disconnect(), 5)
        except Exception:
            pass
        raise


async def stop_and_disconnect(link: Link, profile: Profile) -> None:
    """Send the stop commands (best effort) and disconnect."""
    client = link.client
    try:
        if client.is_connected:
            for command in profile.stop:
                await asyncio.wait_for(client.write_gatt_char(profile.chars[command.char], command.data,
                                                              response=command.response), 2)
    except Exception as exc:  # the link may already be gone
        log.debug("stop commands not sent: %s", exc)
    try:
        await asyncio.wait_for(client.disconnect(), 5)
    except Exception as exc:
        log.debug("disconnect: %s", exc)
