"""What a decoder makes of one notification: frames of samples with the device's own timing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class BadPacket(ValueError):
    """A notification that cannot be decoded (malformed, truncated or unknown); it is dropped and counted."""


@dataclass
class Frame:
    """Samples of one stream from one notification.

    Attributes:
        stream: ``"acc"`` (n,3 g), ``"gyro"`` (n,3 deg/s) or ``"imu"`` (n,6: acc g then gyro deg/s).
        values: the samples, already in g / deg/s.
        t_first: device time of the first sample (s), or None.
        t_last: device time of the last sample (s), or None (Polar stamps the last sample).
        interval_s: sample interval (s) if the packet says; else the profile's nominal rate is used.
        seq: packet sequence number, or None if the protocol has none.
        seq_modulus: where ``seq`` wraps (e.g. 65536).
        time_modulus_s: where the device clock wraps (s), or None.
    """

    stream: str
    values: np.ndarray
    t_first: float | None = None
    t_last: float | None = None
    interval_s: float | None = None
    seq: int | None = None
    seq_modulus: int | None = None
    time_modulus_s: float | None = None

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.values.shape[0])
