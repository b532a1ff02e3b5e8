"""Sensor sources: BLE (``ble/``), file replay and the simulator. They yield :class:`SampleBatch`."""

from repcounter.sources.base import SampleBatch, SensorStatus, Source, SourceItem

__all__ = ["SampleBatch", "SensorStatus", "Source", "SourceItem"]
