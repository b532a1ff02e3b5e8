"""The emulated ``org.bluez`` service: one adapter, sensors as devices, their GATT trees on connect."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from dbus_fast import BusType
from dbus_fast.aio import MessageBus

from fake_bluez.objects import Adapter, Device, GattCharacteristic, GattDescriptor, GattService
from fake_bluez.sensors import FakeSensor
from repcounter.sources.ble import uuids

log = logging.getLogger("fake_bluez")
ADAPTER = "/org/bluez/hci0"


def device_path(address: str) -> str:
    return f"{ADAPTER}/dev_{address.upper().replace(':', '_')}"


class FakeBluez:
    """Serve org.bluez on the bus at ``address`` (a private dbus-daemon) with the given sensors.

    Devices appear (InterfacesAdded) and send RSSI updates only while a discovery runs, as in BlueZ.
    """

    def __init__(self, bus_address: str, sensors: list[FakeSensor], rssi_period_s: float = 0.25) -> None:
        self.bus_address = bus_address
        self.sensors = sensors
        self.rssi_period_s = rssi_period_s
        self.bus: MessageBus | None = None
        self.adapter: Adapter | None = None
        self.discovery_clients = 0
        self._rssi_task: asyncio.Task[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.exported_devices: set[str] = set()
        self._gatt_paths: dict[str, list[tuple[str, Any]]] = {}

    async def start(self) -> "FakeBluez":
        self.loop = asyncio.get_running_loop()
        self.bus = await MessageBus(bus_address=self.bus_address, bus_type=BusType.SYSTEM).connect()
        self.adapter = Adapter(self, "00:1A:7D:DA:71:13")
        self.bus.export(ADAPTER, self.adapter)
        for sensor in self.sensors:
            sensor.bluez = self
            sensor.device = Device(sensor, ADAPTER)
        await self.bus.request_name("org.bluez")
        return self

    async def stop(self) -> None:
        if self._rssi_task:
            self._rssi_task.cancel()
        for s in self.sensors:
            s.stop()
        if self.bus is not None:
            self.bus.disconnect()
            try:
                await asyncio.wait_for(self.bus.wait_for_disconnect(), 2)
            except Exception:
                pass

    async def __aenter__(self) -> "FakeBluez":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- discovery ------------------------------------------------------------------------------------
    def _visible(self, sensor: FakeSensor) -> bool:
        if not sensor.in_range or sensor.device.connected:
            return False
        wanted = [u.lower() for u in (self.adapter.filter.get("UUIDs") or [])] if self.adapter else []
        return not wanted or bool(set(wanted) & {u.lower() for u in sensor.advertised_uuids})

    def start_discovery(self) -> None:
        self._rssi_task = asyncio.get_running_loop().create_task(self._advertise())

    def stop_discovery(self) -> None:
        if self._rssi_task:
            self._rssi_task.cancel()
            self._rssi_task = None

    async def _advertise(self) -> None:
        n = 0
        while True:
            for sensor in self.sensors:
                if not self._visible(sensor):
                    continue
                path = device_path(sensor.address)
                if path not in self.exported_devices:
                    assert self.bus is not None
                    self.bus.export(path, sensor.device)
                    self.exported_devices.add(path)
                else:
                    sensor.device.rssi = -55 - (n + hash(sensor.address)) % 12
                    sensor.device.emit_properties_changed({"RSSI": sensor.device.rssi})
            n += 1
            await asyncio.sleep(self.rssi_period_s)

    def remove_device(self, path: str) -> None:
        for sensor in self.sensors:
            if device_path(sensor.address) == path and path in self.exported_devices and not sensor.device.connected:
                assert self.bus is not None
                self.bus.unexport(path)
                self.exported_devices.discard(path)

    # ---- GATT -----------------------------------------------------------------------------------------
    def add_gatt(self, sensor: FakeSensor) -> None:
        """Export the sensor's services, characteristics and CCCDs (handles in the paths, as BlueZ)."""
        assert self.bus is not None
        dev = device_path(sensor.address)
        objs: list[tuple[str, Any]] = []
        handle = 0x000A
        services = [(sensor.service_uuid, sensor.char_specs())]
        services.append((uuids.BATTERY_SERVICE, []))
        sensor.chars = {}
        for svc_uuid, specs in services:
            if svc_uuid == uuids.WEIGHT_SCALE_SERVICE:
                continue
            spath = f"{dev}/service{handle:04x}"
            objs.append((spath, GattService(svc_uuid, dev, handle)))
            handle += 1
            if svc_uuid == uuids.BATTERY_SERVICE:
                specs = [_battery_spec()]
            for spec in specs:
                cpath = f"{spath}/char{handle:04x}"
                role = spec.role
                on_write = (lambda data, r=role: sensor.on_write(r, data)) if "write" in " ".join(spec.flags) else None
                on_read = None
                if role == "battery":
                    on_read = sensor.read_battery
                elif role == "control":
                    on_read = getattr(sensor, "read_control", None)
                elif role == "config":
                    on_read = getattr(sensor, "read_config", None)
                on_notify = (lambda on, r=role: sensor.on_notify(r, on)) if hasattr(sensor, "on_notify") else None
                ch = GattCharacteristic(spec.uuid, spath, handle, spec.flags, on_read, on_write, on_notify)
                sensor.chars[role] = ch
                objs.append((cpath, ch))
                handle += 2
                if "notify" in spec.flags or "indicate" in spec.flags:
                    dpath = f"{cpath}/desc{handle:04x}"
                    objs.append((dpath, GattDescriptor(uuids.CLIENT_CHARACTERISTIC_CONFIG, cpath, handle)))
                    handle += 1
            handle = (handle + 0x10) & ~0x0F
        for path, obj in objs:
            self.bus.export(path, obj)
        self._gatt_paths[dev] = objs

    def remove_gatt(self, sensor: FakeSensor) -> None:
        assert self.bus is not None
        dev = device_path(sensor.address)
        for path, _obj in reversed(self._gatt_paths.pop(dev, [])):
            self.bus.unexport(path)


def _battery_spec() -> Any:
    from fake_bluez.sensors import CharSpec

    return CharSpec("battery", uuids.BATTERY_LEVEL, ["read", "notify"])
