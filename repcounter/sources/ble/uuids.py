"""Every Bluetooth UUID and assigned number the gateway uses, in one place (like ``bleak.uuids``).

Profiles in ``firmware_config/`` may name these by their key (e.g. ``"polar_pmd_service"``) or give a
full 128-bit UUID. All UUIDs are lower-case, full 128-bit form, as BlueZ reports them.
"""

from __future__ import annotations

BASE_UUID_SUFFIX = "-0000-1000-8000-00805f9b34fb"
"""The Bluetooth base UUID suffix for 16-bit assigned numbers."""


def uuid16(value: int) -> str:
    """Full 128-bit form of a 16-bit assigned number, e.g. ``0x180F`` -> ``0000180f-0000-1000-8000-00805f9b34fb``."""
    return f"0000{value:04x}{BASE_UUID_SUFFIX}"


# Bluetooth SIG assigned numbers
BATTERY_SERVICE = uuid16(0x180F)
BATTERY_LEVEL = uuid16(0x2A19)
HEART_RATE_SERVICE = uuid16(0x180D)
DEVICE_INFORMATION_SERVICE = uuid16(0x180A)
CLIENT_CHARACTERISTIC_CONFIG = uuid16(0x2902)
WEIGHT_SCALE_SERVICE = uuid16(0x181D)  # not a sensor we use; the emulator serves one to test scan filtering

# Polar Measurement Data (PMD) service
POLAR_PMD_SERVICE = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
POLAR_PMD_CONTROL = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
POLAR_PMD_DATA = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

# Movesense GATT SensorData protocol (gatt_sensordata_app)
MOVESENSE_SENSORDATA_SERVICE = "34802252-7185-4d5d-b431-630e7050e8f0"
MOVESENSE_SENSORDATA_WRITE = "34800001-7185-4d5d-b431-630e7050e8f0"
MOVESENSE_SENSORDATA_NOTIFY = "34800002-7185-4d5d-b431-630e7050e8f0"

# The repcounter open sensor profile (docs/open-sensor-profile.md)
OPEN_SERVICE = "7e9c0001-5c2a-4d1e-9f60-7265702d6374"
OPEN_DATA = "7e9c0002-5c2a-4d1e-9f60-7265702d6374"
OPEN_CONFIG = "7e9c0003-5c2a-4d1e-9f60-7265702d6374"

NAMED: dict[str, str] = {
    "battery_service": BATTERY_SERVICE,
    "battery_level": BATTERY_LEVEL,
    "heart_rate_service": HEART_RATE_SERVICE,
    "device_information_service": DEVICE_INFORMATION_SERVICE,
    "client_characteristic_config": CLIENT_CHARACTERISTIC_CONFIG,
    "weight_scale_service": WEIGHT_SCALE_SERVICE,
    "polar_pmd_service": POLAR_PMD_SERVICE,
    "polar_pmd_control": POLAR_PMD_CONTROL,
    "polar_pmd_data": POLAR_PMD_DATA,
    "movesense_sensordata_service": MOVESENSE_SENSORDATA_SERVICE,
    "movesense_sensordata_write": MOVESENSE_SENSORDATA_WRITE,
    "movesense_sensordata_notify": MOVESENSE_SENSORDATA_NOTIFY,
    "repcounter_open_service": OPEN_SERVICE,
    "repcounter_open_data": OPEN_DATA,
    "repcounter_open_config": OPEN_CONFIG,
}
"""UUIDs by the names profiles may use."""

POLAR_EPOCH_UNIX_S = 946684800.0
"""2000-01-01T00:00:00Z as a Unix time (s): Polar PMD timestamps count ns from here."""

STANDARD_GRAVITY = 9.80665
"""m/s^2 per g."""


def normalize(value: str) -> str:
    """A UUID from a profile: a name in :data:`NAMED`, a 16-bit ``0x180f``/``180f`` or a full UUID."""
    text = value.strip().lower()
    if text in NAMED:
        return NAMED[text]
    if text.startswith("0x"):
        text = text[2:]
    if len(text) == 4 and all(c in "0123456789abcdef" for c in text):
        return uuid16(int(text, 16))
    parts = text.split("-")
    if [len(p) for p in parts] != [8, 4, 4, 4, 12] or not all(c in "0123456789abcdef" for p in parts for c in p):
        raise ValueError(f"not a UUID or known name: {value!r}")
    return text
