"""Sinks receive engine events: console, JSON lines, MQTT, local history store, web dashboard."""

from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink

__all__ = ["EventEnvelope", "SessionInfo", "Sink"]
