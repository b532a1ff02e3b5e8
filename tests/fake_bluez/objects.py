"""BlueZ D-Bus objects served with dbus-fast: Adapter1, Device1, GattService1, GattCharacteristic1,
GattDescriptor1, shaped the way bleak's BlueZ backend reads them.

No ``from __future__ import annotations`` here: dbus-fast reads the D-Bus signatures from annotations.
"""

import asyncio
from typing import Any, Callable, Optional

from dbus_fast import DBusError, PropertyAccess, Variant
from dbus_fast.service import ServiceInterface, dbus_property, method

R = PropertyAccess.READ


class Adapter(ServiceInterface):
    """org.bluez.Adapter1: powered, central role; discovery is handed to the owner."""

    def __init__(self, owner: Any, address: str) -> None:
        super().__init__("org.bluez.Adapter1")
        self.owner = owner
        self.address = address
        self.discovering = False
        self.filter: dict[str, Any] = {}
        self.filters_seen: list[dict[str, Any]] = []

    @dbus_property(access=R)
    def Address(self) -> "s":
        return self.address

    @dbus_property(access=R)
    def AddressType(self) -> "s":
        return "public"

    @dbus_property(access=R)
    def Name(self) -> "s":
        return "fake-hci0"

    @dbus_property(access=R)
    def Alias(self) -> "s":
        return "fake-hci0"

    @dbus_property(access=R)
    def Powered(self) -> "b":
        return True

    @dbus_property(access=R)
    def Discovering(self) -> "b":
        return self.discovering

    @dbus_property(access=R)
    def Roles(self) -> "as":
        return ["central", "peripheral"]

    @method()
    def SetDiscoveryFilter(self, properties: "a{sv}"):
        self.filter = {k: v.value for k, v in properties.items()}
        self.filters_seen.append(self.filter)

    @method()
    def StartDiscovery(self):
        self.owner.discovery_clients += 1
        if not self.discovering:
            self.discovering = True
            self.emit_properties_changed({"Discovering": True})
            self.owner.start_discovery()

    @method()
    def StopDiscovery(self):
        if not self.discovering:
            raise DBusError("org.bluez.Error.Failed", "No discovery started")
        self.owner.discovery_clients = max(0, self.owner.discovery_clients - 1)
        if self.owner.discovery_clients == 0:
            self.discovering = False
            self.emit_properties_changed({"Discovering": False})
            self.owner.stop_discovery()

    @method()
    def RemoveDevice(self, device: "o"):
        self.owner.remove_device(device)

    @method()
    def GetDiscoveryFilters(self) -> "as":
        return ["UUIDs", "RSSI", "Pathloss", "Transport", "DuplicateData", "Discoverable", "Pattern"]


class Device(ServiceInterface):
    """org.bluez.Device1 for one emulated sensor; Connect/Disconnect go to the sensor."""

    def __init__(self, sensor: Any, adapter_path: str) -> None:
        super().__init__("org.bluez.Device1")
        self.sensor = sensor
        self.adapter_path = adapter_path
        self.connected = False
        self.services_resolved = False
        self.rssi = -60

    @dbus_property(access=R)
    def Address(self) -> "s":
        return self.sensor.address

    @dbus_property(access=R)
    def AddressType(self) -> "s":
        return "random"

    @dbus_property(access=R)
    def Name(self) -> "s":
        return self.sensor.name

    @dbus_property(access=R)
    def Alias(self) -> "s":
        return self.sensor.name

    @dbus_property(access=R)
    def Adapter(self) -> "o":
        return self.adapter_path

    @dbus_property(access=R)
    def Paired(self) -> "b":
        return False

    @dbus_property(access=R)
    def Bonded(self) -> "b":
        return False

    @dbus_property(access=R)
    def Trusted(self) -> "b":
        return False

    @dbus_property(access=R)
    def Blocked(self) -> "b":
        return False

    @dbus_property(access=R)
    def LegacyPairing(self) -> "b":
        return False

    @dbus_property(access=R)
    def Connected(self) -> "b":
        return self.connected

    @dbus_property(access=R)
    def ServicesResolved(self) -> "b":
        return self.services_resolved

    @dbus_property(access=R)
    def UUIDs(self) -> "as":
        return list(self.sensor.advertised_uuids)

    @dbus_property(access=R)
    def RSSI(self) -> "n":
        return self.rssi

    @dbus_property(access=R)
    def ManufacturerData(self) -> "a{qv}":
        return {k: Variant("ay", v) for k, v in self.sensor.manufacturer_data.items()}

    @dbus_property(access=R)
    def ServiceData(self) -> "a{sv}":
        return {}

    @method()
    async def Connect(self):
        await self.sensor.on_connect_request()

    @method()
    async def Disconnect(self):
        await self.sensor.on_disconnect_request()

    @method()
    def Pair(self):
        raise DBusError("org.bluez.Error.NotSupported", "pairing not emulated")


class GattService(ServiceInterface):
    """org.bluez.GattService1."""

    def __init__(self, uuid: str, device_path: str, handle: int) -> None:
        super().__init__("org.bluez.GattService1")
        self.uuid, self.device_path, self.handle = uuid, device_path, handle

    @dbus_property(access=R)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=R)
    def Primary(self) -> "b":
        return True

    @dbus_property(access=R)
    def Device(self) -> "o":
        return self.device_path

    @dbus_property(access=R)
    def Handle(self) -> "q":
        return self.handle


class GattCharacteristic(ServiceInterface):
    """org.bluez.GattCharacteristic1; reads, writes and notify start/stop call the sensor's handlers."""

    def __init__(self, uuid: str, service_path: str, handle: int, flags: list[str],
                 on_read: Optional[Callable[[], bytes]] = None,
                 on_write: Optional[Callable[[bytes], Optional[str]]] = None,
                 on_notify: Optional[Callable[[bool], None]] = None) -> None:
        super().__init__("org.bluez.GattCharacteristic1")
        self.uuid, self.service_path, self.handle, self.flags = uuid, service_path, handle, flags
        self.value = b""
        self.notifying = False
        self.on_read, self.on_write, self.on_notify = on_read, on_write, on_notify

    @dbus_property(access=R)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=R)
    def Service(self) -> "o":
        return self.service_path

    @dbus_property(access=R)
    def Value(self) -> "ay":
        return self.value

    @dbus_property(access=R)
    def Notifying(self) -> "b":
        return self.notifying

    @dbus_property(access=R)
    def Flags(self) -> "as":
        return self.flags

    @dbus_property(access=R)
    def Handle(self) -> "q":
        return self.handle

    @dbus_property(access=R)
    def MTU(self) -> "q":
        return 247

    @method()
    def ReadValue(self, options: "a{sv}") -> "ay":
        if self.on_read is None:
            raise DBusError("org.bluez.Error.NotPermitted", "Read not permitted")
        self.value = self.on_read()
        return self.value

    @method()
    def WriteValue(self, value: "ay", options: "a{sv}"):
        if self.on_write is None:
            raise DBusError("org.bluez.Error.NotPermitted", "Write not permitted")
        problem = self.on_write(bytes(value))
        if problem:
            raise DBusError("org.bluez.Error.Failed", problem)

    @method()
    def StartNotify(self):
        if "notify" not in self.flags and "indicate" not in self.flags:
            raise DBusError("org.bluez.Error.NotSupported", "Operation is not supported")
        if not self.notifying:
            self.notifying = True
            self.emit_properties_changed({"Notifying": True})
            if self.on_notify:
                self.on_notify(True)

    @method()
    def StopNotify(self):
        if self.notifying:
            self.notifying = False
            self.emit_properties_changed({"Notifying": False})
            if self.on_notify:
                self.on_notify(False)

    def notify(self, data: bytes) -> None:
        """Send a notification: PropertiesChanged(Value), as BlueZ does for StartNotify clients."""
        self.value = data
        self.emit_properties_changed({"Value": data})


class GattDescriptor(ServiceInterface):
    """org.bluez.GattDescriptor1 (the CCCD)."""

    def __init__(self, uuid: str, char_path: str, handle: int) -> None:
        super().__init__("org.bluez.GattDescriptor1")
        self.uuid, self.char_path, self.handle = uuid, char_path, handle

    @dbus_property(access=R)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=R)
    def Characteristic(self) -> "o":
        return self.char_path

    @dbus_property(access=R)
    def Value(self) -> "ay":
        return b"\x00\x00"

    @dbus_property(access=R)
    def Flags(self) -> "as":
        return ["read", "write"]

    @dbus_property(access=R)
    def Handle(self) -> "q":
        return self.handle

    @method()
    def ReadValue(self, options: "a{sv}") -> "ay":
        return b"\x00\x00"
