"""An emulated BlueZ for tests: a private dbus-daemon plus an ``org.bluez`` service written with dbus-fast,
serving an adapter, wrist sensors (Polar PMD, Movesense, open profile) and their GATT trees, streaming
sessions in each sensor's packet format. Unmodified bleak talks to it through DBUS_SYSTEM_BUS_ADDRESS."""

from fake_bluez.bluez import FakeBluez, device_path
from fake_bluez.daemon import DbusDaemon
from fake_bluez.sensors import (FAMILY_CLASSES, Behaviour, FakeSensor, MovesenseSensor, OpenSensor, PolarSensor,
                                ScaleSensor)
from fake_bluez.sessions import load_session, simulated_or_synthetic, synthetic_set

__all__ = ["FakeBluez", "DbusDaemon", "device_path", "Behaviour", "FakeSensor", "PolarSensor", "MovesenseSensor",
           "OpenSensor", "ScaleSensor", "FAMILY_CLASSES", "load_session", "simulated_or_synthetic", "synthetic_set"]
