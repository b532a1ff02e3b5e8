"""The repcounter open sensor profile (docs/open-sensor-profile.md): packets and configuration.

Data packet (notify), little-endian::

    0  u8   version (1)
    1  u8   flags: bit 0 = gyro present
    2  u16  sequence number (wraps at 65536)
    4  u32  device time of the first sample, microseconds (wraps)
    8  u16  sample interval, microseconds
    10 u8   n, samples in this packet
    11 u8   accelerometer range, g (LSB = range / 32768 g)
    12 u16  gyroscope range, deg/s (LSB = range / 32768 deg/s)
    14 ...  n x (ax, ay, az[, gx, gy, gz]) int16

Configuration characteristic (read/write), little-endian: rate Hz u16, acc range g u8, gyro range deg/s
u16, samples per packet u8, flags u8 (bit 0 = gyro on).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from repcounter.sources.ble.frames import BadPacket, Frame

VERSION = 1
FLAG_GYRO = 0x01
HEADER = struct.Struct("<BBHIHBBH")
CONFIG = struct.Struct("<HBHBB")
SEQ_MODULUS = 65536
TIME_MODULUS_S = 2**32 / 1e6
ACC_RANGES_G = (2, 4, 8, 16)
GYRO_RANGES_DPS = (125, 250, 500, 1000, 2000)


@dataclass(frozen=True)
class OpenConfig:
    """What the configuration characteristic holds (and a board's firmware settings)."""

    rate_hz: int = 100
    acc_range_g: int = 8
    gyro_range_dps: int = 2000
    samples_per_packet: int = 5
    gyro: bool = True

    def encode(self) -> bytes:
        """The 7-byte configuration value."""
        return CONFIG.pack(self.rate_hz, self.acc_range_g, self.gyro_range_dps, self.samples_per_packet,
                           FLAG_GYRO if self.gyro else 0)

    @classmethod
    def decode(cls, data: bytes) -> "OpenConfig":
        """Parse a configuration value; raises ValueError."""
        if len(data) != CONFIG.size:
            raise ValueError(f"configuration must be {CONFIG.size} bytes, got {len(data)}")
        rate, acc, gyro, spp, flags = CONFIG.unpack(data)
        if rate == 0 or spp == 0 or acc not in ACC_RANGES_G or gyro not in GYRO_RANGES_DPS:
            raise ValueError("configuration out of range")
        return cls(rate, acc, gyro, spp, bool(flags & FLAG_GYRO))


def encode_packet(seq: int, t_first_us: int, interval_us: int, acc_g: np.ndarray, gyro_dps: np.ndarray | None,
                  acc_range_g: int = 8, gyro_range_dps: int = 2000) -> bytes:
    """One data packet from samples in g and deg/s (quantised to int16, clipped to the range)."""
    n = len(acc_g)
    acc_raw = np.clip(np.round(np.asarray(acc_g) * 32768.0 / acc_range_g), -32768, 32767)
    cols = [acc_raw]
    flags = 0
    if gyro_dps is not None:
        flags |= FLAG_GYRO
        cols.append(np.clip(np.round(np.asarray(gyro_dps) * 32768.0 / gyro_range_dps), -32768, 32767))
    body = np.hstack(cols).astype("<i2").tobytes()
    head = HEADER.pack(VERSION, flags, seq % SEQ_MODULUS, t_first_us & 0xFFFFFFFF, interval_us, n, acc_range_g,
                       gyro_range_dps)
    return head + body


class OpenProfileDecoder:
    """Decode open-profile data packets into ``imu`` (or ``acc``) frames."""

    family = "open_profile"

    def decode(self, data: bytes) -> list[Frame]:
        """One frame per packet; raises :class:`BadPacket`."""
        if len(data) < HEADER.size:
            raise BadPacket(f"packet of {len(data)} bytes is shorter than its {HEADER.size}-byte header")
        version, flags, seq, t_us, interval_us, n, acc_range, gyro_range = HEADER.unpack_from(data)
        if version != VERSION:
            raise BadPacket(f"unknown packet version {version}")
        if acc_range not in ACC_RANGES_G or (flags & FLAG_GYRO and gyro_range not in GYRO_RANGES_DPS):
            raise BadPacket(f"range out of spec (acc {acc_range} g, gyro {gyro_range} deg/s)")
        if interval_us == 0 or n == 0:
            raise BadPacket("packet with no samples or a zero interval")
        channels = 6 if flags & FLAG_GYRO else 3
        need = HEADER.size + n * channels * 2
        if len(data) != need:
            raise BadPacket(f"packet of {len(data)} bytes, header says {need}")
        raw = np.frombuffer(data, dtype="<i2", offset=HEADER.size).reshape(n, channels).astype(np.float64)
        values = raw.copy()
        values[:, :3] *= acc_range / 32768.0
        if channels == 6:
            values[:, 3:] *= gyro_range / 32768.0
        return [Frame("imu" if channels == 6 else "acc", values, t_first=t_us * 1e-6, interval_s=interval_us * 1e-6,
                      seq=seq, seq_modulus=SEQ_MODULUS, time_modulus_s=TIME_MODULUS_S)]
