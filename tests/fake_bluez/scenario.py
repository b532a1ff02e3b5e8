"""Build emulated sensors from a scenario (dict / JSON), for in-process tests and ``python -m fake_bluez``.

Scenario::

    {"sensors": [{"family": "polar_pmd" | "movesense" | "open_profile" | "other",
                  "name": "Polar Sense B5C3D72A", "address": "A0:9E:1A:00:00:01", "rate_hz": 52,
                  "session": {"synthetic": 8} | {"csv": "file.csv"} | {"simulate": "pullup", "reps": 8},
                  "samples_per_packet": 9, "dropouts": [[10.0, 3.0]], "drop_packets": [5, 6],
                  "garbage_every": 0, "vanish_at_end": true, "battery": 80}],
     "report": "where to write what each sensor sent (JSON), on exit"}
"""

from __future__ import annotations

from typing import Any

from fake_bluez.sensors import FAMILY_CLASSES, Behaviour, FakeSensor
from fake_bluez.sessions import load_session


def build_sensors(scenario: dict[str, Any]) -> list[FakeSensor]:
    sensors = []
    for i, spec in enumerate(scenario["sensors"]):
        cls = FAMILY_CLASSES[spec["family"]]
        rate = float(spec.get("rate_hz", 52))
        samples = load_session({"rate_hz": rate, **spec.get("session", {"synthetic": 8})})
        behaviour = Behaviour(dropouts=[tuple(d) for d in spec.get("dropouts", [])],
                              drop_packets=set(spec.get("drop_packets", [])),
                              garbage_every=int(spec.get("garbage_every", 0)),
                              vanish_at_end=bool(spec.get("vanish_at_end", True)))
        kwargs: dict[str, Any] = {"behaviour": behaviour, "battery": int(spec.get("battery", 87))}
        if "samples_per_packet" in spec:
            kwargs["samples_per_packet"] = int(spec["samples_per_packet"])
        sensors.append(cls(spec.get("name", f"Sensor {i}"), spec.get("address", f"C0:FF:EE:00:00:{i + 1:02X}"),
                           samples, rate, **kwargs))
    return sensors


def report(sensors: list[FakeSensor]) -> dict[str, Any]:
    return {s.name: {"address": s.address, "sent_packets": s.sent_packets, "lost_packets": s.lost_packets,
                     "garbage": s.sent_garbage, "connects": s.connects, "samples": len(s.samples),
                     "played": s.next_sample, "bad_commands": getattr(s, "bad_commands", []), "log": s.log}
            for s in sensors}
