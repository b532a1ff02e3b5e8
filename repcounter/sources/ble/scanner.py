"""Find nearby sensors that match a profile (name pattern or advertised service)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from repcounter.sources.ble import uuids
from repcounter.sources.ble.profiles import Profile

log = logging.getLogger(__name__)


@dataclass
class FoundSensor:
    """A sensor seen while scanning.

    Attributes:
        name: advertised name (or the address when it has none).
        address: Bluetooth address.
        rssi: signal strength (dBm) of the latest advertisement.
        profile: the profile it matched.
        device: bleak's handle for connecting.
        battery_pct: battery level where readable (advertised battery service data or a quick read).
    """

    name: str
    address: str
    rssi: int
    profile: Profile
    device: BLEDevice
    battery_pct: int | None = None

    def matches(self, wanted: str) -> bool:
        """True if ``wanted`` (a ``--sensor`` value) names this sensor: address, exact name or name part."""
        w = wanted.strip().lower()
        return w == self.address.lower() or w == self.name.lower() or (len(w) >= 3 and w in self.name.lower())


def match_profile(profiles: list[Profile], name: str | None, service_uuids: list[str]) -> Profile | None:
    """The first profile an advertisement matches (name patterns first), or None."""
    for p in profiles:
        if name and p.name_patterns and p.matches(name, []):
            return p
    for p in profiles:
        if p.matches(name, service_uuids):
            return p
    return None


async def scan(profiles: list[Profile], timeout_s: float = 5.0, stop_when: list[str] | None = None,
               read_battery: bool = False) -> list[FoundSensor]:
    """Scan for ``timeout_s`` (less if every name in ``stop_when`` was seen); strongest signal first."""
    found: dict[str, FoundSensor] = {}
    done = asyncio.Event()
    service_filter = sorted({u for p in profiles for u in p.advertised_services})
    if any(not p.advertised_services for p in profiles):
        service_filter = []  # a name-only profile: scan everything, filter here

    def seen(device: BLEDevice, adv: AdvertisementData) -> None:
        profile = match_profile(profiles, adv.local_name or device.name, adv.service_uuids)
        if profile is None:
            return
        battery = None
        data = adv.service_data.get(uuids.BATTERY_LEVEL) or adv.service_data.get(uuids.BATTERY_SERVICE)
        if data:
            battery = int(data[0])
        name = adv.local_name or device.name or device.address
        found[device.address] = FoundSensor(name, device.address, adv.rssi, profile, device,
                                            battery if battery is not None else
                                            (found[device.address].battery_pct if device.address in found else None))
        if stop_when and all(any(f.matches(w) for f in found.values()) for w in stop_when):
            done.set()

    scanner = BleakScanner(detection_callback=seen, service_uuids=service_filter or None)
    await scanner.start()
    try:
        try:
            await asyncio.wait_for(done.wait(), timeout_s)
        except asyncio.TimeoutError:
            pass
    finally:
        await scanner.stop()
    result = sorted(found.values(), key=lambda f: -f.rssi)
    if read_battery:
        for f in result:
            if f.battery_pct is None and f.profile.battery:
                f.battery_pct = await _read_battery_once(f)
    return result


async def _read_battery_once(found: FoundSensor) -> int | None:
    from bleak_retry_connector import establish_connection

    from repcounter.sources.ble.connection import read_battery
    from bleak import BleakClient

    try:
        client = await asyncio.wait_for(establish_connection(BleakClient, found.device, found.name, max_attempts=1), 15)
    except Exception as exc:
        log.info("%s: battery not read (%s)", found.name, exc)
        return None
    try:
        return await read_battery(client)
    finally:
        try:
            await client.disconnect()
        except Exception:
            pass
