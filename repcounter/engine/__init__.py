"""The pure rep and tempo engine: no I/O, no clock, no asyncio.

Public surface: :class:`RepEngine` (streaming), :func:`analyze_samples` (whole recording), the event types.
"""

from repcounter.engine.events import (
    BACK_EXERCISES,
    EXERCISES,
    EngineEvent,
    Rep,
    RepAnnounced,
    RepCompleted,
    SetEnded,
    SetStarted,
    SetSummary,
)
from repcounter.engine.engine import EngineConfig, RepEngine, SessionAnalysis, analyze_samples

__all__ = [
    "BACK_EXERCISES", "EXERCISES", "EngineConfig", "EngineEvent", "Rep", "RepAnnounced", "RepCompleted",
    "RepEngine", "SessionAnalysis", "SetEnded", "SetStarted", "SetSummary", "analyze_samples",
]
