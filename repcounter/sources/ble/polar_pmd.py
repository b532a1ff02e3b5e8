"""Polar Measurement Data (PMD) frames: decode and encode raw and delta-compressed ACC/GYRO frames.

Data frame (notification on the PMD data characteristic):
byte 0 measurement type (ACC 2, GYRO 5), bytes 1-8 uint64 LE timestamp of the LAST sample in ns since
2000-01-01, byte 9 frame type (bit 7 = delta-compressed, bits 0-6 the type), samples from byte 10.
Raw ACC types 0/1/2 are int8/int16/int24 LE x 3 axes in milli-g. A delta-compressed frame holds one
reference sample (channels x ceil(resolution/8) bytes, signed LE), then blocks of
``[bit width u8][sample count u8][count x channels signed deltas of bit width, packed LSB first]``;
each sample is the previous one plus its delta. Values are multiplied by the stream's factor
(milli-g per LSB for ACC, deg/s per LSB for GYRO).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from repcounter.sources.ble.frames import BadPacket, Frame

MEAS_ACC = 2
MEAS_GYRO = 5
DELTA_BIT = 0x80
HEADER = 10
NS = 1e-9
TIME_MODULUS_S = None  # a uint64 of ns does not wrap in practice

OP_GET_SETTINGS = 0x01
OP_START = 0x02
OP_STOP = 0x03
CP_RESPONSE = 0xF0


@dataclass(frozen=True)
class PmdStreamConfig:
    """How to read one PMD measurement type.

    Attributes:
        resolution: bits per channel in delta frames (16 for ACC and GYRO on Verity Sense / OH1 / H10).
        factor: units per LSB (milli-g for ACC, deg/s for GYRO).
    """

    resolution: int = 16
    factor: float = 1.0


def _signed_le(buf: bytes, width: int, count: int) -> np.ndarray:
    """``count`` little-endian signed integers of ``width`` bytes (1..4)."""
    raw = np.frombuffer(buf, dtype=np.uint8, count=count * width).reshape(count, width).astype(np.int64)
    value = np.zeros(count, dtype=np.int64)
    for i in range(width):
        value |= raw[:, i] << (8 * i)
    sign = 1 << (8 * width - 1)
    return np.where(value & sign, value - (1 << (8 * width)), value)


def parse_delta_frames(payload: bytes, channels: int, resolution: int) -> np.ndarray:
    """Integer samples (n, channels) from a delta-compressed payload; raises :class:`BadPacket`."""
    ref_w = (resolution + 7) // 8
    ref_len = channels * ref_w
    if len(payload) < ref_len:
        raise BadPacket(f"delta frame shorter than its reference sample ({len(payload)} < {ref_len} bytes)")
    rows = [_signed_le(payload[:ref_len], ref_w, channels).reshape(1, channels)]
    offset = ref_len
    while offset < len(payload):
        if offset + 2 > len(payload):
            raise BadPacket("delta block header truncated")
        width, count = payload[offset], payload[offset + 1]
        offset += 2
        if width == 0 or width > 32:
            raise BadPacket(f"delta bit width {width} out of range")
        nbits = width * count * channels
        nbytes = (nbits + 7) // 8
        if offset + nbytes > len(payload):
            raise BadPacket(f"delta block truncated ({len(payload) - offset} of {nbytes} bytes)")
        bits = np.unpackbits(np.frombuffer(payload, np.uint8, nbytes, offset), bitorder="little")[:nbits]
        deltas = bits.reshape(count * channels, width).astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
        deltas = np.where(deltas & (1 << (width - 1)), deltas - (1 << width), deltas).reshape(count, channels)
        rows.append(deltas)
        offset += nbytes
    allrows = np.concatenate(rows, axis=0)
    return np.cumsum(allrows, axis=0)


def _bits_needed(values: np.ndarray) -> int:
    """Smallest signed bit width (>= 1) holding every value."""
    lo, hi = int(values.min(initial=0)), int(values.max(initial=0))
    width = 1
    while not (-(1 << (width - 1)) <= lo and hi <= (1 << (width - 1)) - 1):
        width += 1
    return width


def encode_delta_frames(samples: np.ndarray, resolution: int = 16, block: int = 16) -> bytes:
    """Delta-compress integer samples (n, channels): reference sample then blocks of ``block`` samples."""
    samples = np.asarray(samples, dtype=np.int64)
    n, channels = samples.shape
    ref_w = (resolution + 7) // 8
    out = bytearray()
    for v in samples[0]:
        out += int(v).to_bytes(ref_w, "little", signed=True)
    deltas = np.diff(samples, axis=0)
    for start in range(0, len(deltas), block):
        chunk = deltas[start : start + block]
        width = _bits_needed(chunk)
        flat = (chunk.reshape(-1) & ((1 << width) - 1)).astype(np.uint64)
        bits = ((flat[:, None] >> np.arange(width, dtype=np.uint64)) & np.uint64(1)).astype(np.uint8).reshape(-1)
        out += bytes([width, len(chunk)]) + np.packbits(bits, bitorder="little").tobytes()
    return bytes(out)


def encode_frame(meas_type: int, timestamp_ns: int, samples: np.ndarray, frame_type: int = 1,
                 compressed: bool = False, resolution: int = 16) -> bytes:
    """A PMD data frame holding integer samples (n, 3); ``timestamp_ns`` is the LAST sample's time."""
    head = bytes([meas_type]) + struct.pack("<Q", timestamp_ns) + bytes([frame_type | (DELTA_BIT if compressed else 0)])
    samples = np.asarray(samples, dtype=np.int64)
    if compressed:
        return head + encode_delta_frames(samples, resolution)
    width = {0: 1, 1: 2, 2: 3}[frame_type]
    body = bytearray()
    for v in samples.reshape(-1):
        body += int(v).to_bytes(width, "little", signed=True)
    return head + bytes(body)


def start_command(meas_type: int, rate_hz: int, resolution: int, range_value: int) -> bytes:
    """``02 <type> 00 01 <rate u16> 01 01 <res u16> 02 01 <range u16>``: start a measurement."""
    return bytes([OP_START, meas_type]) + bytes([0, 1]) + struct.pack("<H", rate_hz) + bytes([1, 1]) + \
        struct.pack("<H", resolution) + bytes([2, 1]) + struct.pack("<H", range_value)


def parse_start_command(data: bytes) -> tuple[int, dict[int, int]]:
    """(measurement type, {setting type: value}) from a start command; raises ValueError."""
    if len(data) < 2 or data[0] != OP_START:
        raise ValueError("not a PMD start command")
    settings: dict[int, int] = {}
    i = 2
    while i < len(data):
        if i + 2 > len(data):
            raise ValueError("truncated setting")
        kind, count = data[i], data[i + 1]
        i += 2
        if i + 2 * count > len(data):
            raise ValueError("truncated setting value")
        settings[kind] = struct.unpack_from("<H", data, i)[0]
        i += 2 * count
    return data[1], settings


class PolarPmdDecoder:
    """Decode PMD data notifications into :class:`Frame` objects (ACC in g, GYRO in deg/s).

    Args:
        acc: ACC stream settings (factor in milli-g per LSB).
        gyro: GYRO stream settings (factor in deg/s per LSB), or None to treat gyro frames as unknown.
    """

    family = "polar_pmd"

    def __init__(self, acc: PmdStreamConfig, gyro: PmdStreamConfig | None) -> None:
        self.acc = acc
        self.gyro = gyro

    def decode(self, data: bytes) -> list[Frame]:
        """Frames in one notification; raises :class:`BadPacket`."""
        if len(data) < HEADER:
            raise BadPacket(f"PMD frame of {len(data)} bytes is shorter than its 10-byte header")
        meas = data[0]
        if meas == MEAS_ACC:
            cfg, stream, scale = self.acc, "acc", 1e-3
        elif meas == MEAS_GYRO and self.gyro is not None:
            cfg, stream, scale = self.gyro, "gyro", 1.0
        else:
            raise BadPacket(f"unknown PMD measurement type {meas}")
        ts = struct.unpack_from("<Q", data, 1)[0]
        ftype = data[9]
        payload = data[HEADER:]
        if ftype & DELTA_BIT:
            if (ftype & 0x7F) not in (0, 1):
                raise BadPacket(f"unsupported compressed frame type {ftype & 0x7F}")
            raw = parse_delta_frames(payload, 3, cfg.resolution)
            values = raw.astype(np.float64) * cfg.factor * scale
        else:
            width = {0: 1, 1: 2, 2: 3}.get(ftype) if stream == "acc" else {0: 2}.get(ftype)
            if width is None:
                raise BadPacket(f"unsupported raw {stream} frame type {ftype}")
            if len(payload) == 0 or len(payload) % (3 * width):
                raise BadPacket(f"raw {stream} payload of {len(payload)} bytes is not whole samples")
            raw = _signed_le(payload, width, len(payload) // width).reshape(-1, 3)
            factor = 1.0 if stream == "acc" else cfg.factor
            values = raw.astype(np.float64) * factor * scale
        return [Frame(stream, values, t_last=ts * NS)]
