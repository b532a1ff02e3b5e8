"""Movesense GATT SensorData protocol (gatt_sensordata_app): subscribe commands and notifications.

Write ``[1, ref] + path`` (e.g. ``/Meas/IMU6/52``) to subscribe, ``[2, ref]`` to unsubscribe.
Notifications are ``[2 (data) or 3 (second part), ref, uint32 LE timestamp ms of the first sample,
float32 LE values...]``. For IMU6 the values are N accelerometer vectors (m/s^2) followed by N gyroscope
vectors (deg/s); for Acc or Gyro paths N vectors. A ``3`` packet continues the previous ``2`` packet
of the same reference (large payloads are split); it carries no timestamp. ``1`` is a command response.
"""

from __future__ import annotations

import struct

import numpy as np

from repcounter.sources.ble.frames import BadPacket, Frame
from repcounter.sources.ble.uuids import STANDARD_GRAVITY

OP_SUBSCRIBE = 1
OP_UNSUBSCRIBE = 2
PKT_RESPONSE = 1
PKT_DATA = 2
PKT_DATA_PART2 = 3
TIME_MODULUS_S = 2**32 / 1000.0

LAYOUTS = {"imu6": 6, "acc": 3, "gyro": 3}


def subscribe_command(ref: int, path: str) -> bytes:
    """``[1, ref] + path``."""
    return bytes([OP_SUBSCRIBE, ref]) + path.encode("ascii")


def encode_notifications(ref: int, timestamp_ms: int, acc_ms2: np.ndarray | None, gyro_dps: np.ndarray | None,
                         split: bool = False) -> list[bytes]:
    """Notification(s) for one packet: acc (n,3 m/s^2) then gyro (n,3 deg/s); ``split`` makes a 2+3 pair."""
    parts = [a for a in (acc_ms2, gyro_dps) if a is not None]
    values = np.concatenate([np.asarray(p, dtype="<f4").reshape(-1) for p in parts]).astype("<f4").tobytes()
    head = bytes([PKT_DATA, ref]) + struct.pack("<I", timestamp_ms & 0xFFFFFFFF)
    if not split:
        return [head + values]
    half = (len(values) // 8) * 4
    return [head + values[:half], bytes([PKT_DATA_PART2, ref]) + values[half:]]


class MovesenseDecoder:
    """Decode SensorData notifications for one subscription.

    Args:
        ref: the subscription reference the gateway chose.
        layout: ``imu6``, ``acc`` or ``gyro``.
        acc_unit: ``m/s^2`` (Movesense) or ``g``.
        split: the subscription sends each packet as a ``2`` + ``3`` pair (large payloads): a ``2`` packet
            is held until its second part (or the next packet) arrives.
    """

    family = "movesense"

    def __init__(self, ref: int, layout: str = "imu6", acc_unit: str = "m/s^2", split: bool = False) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown Movesense layout {layout!r}")
        self.ref = ref
        self.layout = layout
        self.acc_scale = 1.0 / STANDARD_GRAVITY if acc_unit in ("m/s^2", "m/s2") else 1.0
        self.split = split
        self._pending: tuple[int, bytes] | None = None

    def decode(self, data: bytes) -> list[Frame]:
        """Frames in one notification (none for a first part or a response); raises :class:`BadPacket`."""
        if len(data) < 2:
            raise BadPacket(f"SensorData notification of {len(data)} bytes")
        kind, ref = data[0], data[1]
        if kind == PKT_RESPONSE:
            return []
        if kind not in (PKT_DATA, PKT_DATA_PART2):
            raise BadPacket(f"unknown SensorData packet type {kind}")
        if ref != self.ref:
            raise BadPacket(f"notification for unknown subscription {ref}")
        if kind == PKT_DATA_PART2:
            if self._pending is None:
                raise BadPacket("second part without a first part")
            ts_ms, body = self._pending
            self._pending = None
            return self._frames(ts_ms, body + data[2:])
        if len(data) < 6:
            raise BadPacket("SensorData data packet without its timestamp")
        ts_ms = struct.unpack_from("<I", data, 2)[0]
        body = data[6:]
        width = LAYOUTS[self.layout] * 4
        if self.split:
            held, self._pending = self._pending, (ts_ms, body)
            return self._frames(*held) if held is not None else []
        if len(body) % width:
            # not whole samples: the first half of a split packet; wait for the second part
            if self._pending is not None:
                self._pending = None
                raise BadPacket("first part lost its second part")
            self._pending = (ts_ms, body)
            return []
        if self._pending is not None:
            self._pending = None  # its second part never came
        return self._frames(ts_ms, body)

    def _frames(self, ts_ms: int, body: bytes) -> list[Frame]:
        channels = LAYOUTS[self.layout]
        if len(body) == 0 or len(body) % (channels * 4):
            raise BadPacket(f"SensorData payload of {len(body)} bytes is not whole {self.layout} samples")
        vals = np.frombuffer(body, dtype="<f4").astype(np.float64)
        if not np.all(np.isfinite(vals)):
            raise BadPacket("SensorData payload holds NaN or infinity")
        n = len(vals) // channels
        if self.layout == "imu6":
            acc = vals[: 3 * n].reshape(n, 3) * self.acc_scale
            gyro = vals[3 * n :].reshape(n, 3)
            return [Frame("imu", np.hstack([acc, gyro]), t_first=ts_ms / 1000.0, time_modulus_s=TIME_MODULUS_S)]
        if self.layout == "acc":
            return [Frame("acc", vals.reshape(n, 3) * self.acc_scale, t_first=ts_ms / 1000.0, time_modulus_s=TIME_MODULUS_S)]
        return [Frame("gyro", vals.reshape(n, 3), t_first=ts_ms / 1000.0, time_modulus_s=TIME_MODULUS_S)]
