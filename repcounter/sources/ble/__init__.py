"""Wrist sensors over Bluetooth LE: profiles, decoders, timing, connection and the :class:`BleSource`.

Heavy modules (bleak) are imported only by ``connection``, ``scanner`` and ``source``.
"""
