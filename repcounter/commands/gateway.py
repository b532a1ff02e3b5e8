"""``repcounter gateway``: connect to wrist sensors over BLE, count reps live, pass events to the sinks."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    from repcounter.sinks.options import add_sink_arguments

    p = sub.add_parser("gateway", help="stream live from BLE wrist sensors",
                       description="Find, connect and stream one or more BLE wrist sensors; one rep engine per "
                                   "sensor; live counts in the terminal; events to the sinks.")
    p.add_argument("--sensor", action="append", metavar="NAME_OR_ADDRESS",
                   help="sensor to use (name, part of the name, or address); repeatable. Default: every match found")
    p.add_argument("--profile", action="append", help="only sensors of this profile (firmware_config/NAME.toml)")
    p.add_argument("--profiles", metavar="DIR", help="profile folder (default: firmware_config/ or $REPCOUNTER_PROFILES)")
    p.add_argument("--exercise", default="auto", help="exercise name or auto (default)")
    p.add_argument("--scan-timeout", type=float, default=10.0, help="seconds to look for the sensors (default 10)")
    p.add_argument("--offline-after", type=float, default=30.0,
                   help="give a lost sensor this many seconds to come back before closing its set (default 30)")
    p.add_argument("--stall-after", type=float, default=3.0, help="connected but silent this long = dropout (default 3)")
    p.add_argument("--duration", type=float, help="stop after this many seconds (default: until all sensors are gone)")
    p.add_argument("--record", metavar="FILE.csv", help="save the raw stream (t,ax,ay,az,gx,gy,gz); one file per sensor "
                                                        "when several (FILE-<sensor>.csv)")
    p.add_argument("--summary-json", metavar="FILE", help="write per-sensor figures (samples, drops, reconnects, sets)")
    add_sink_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json
    import logging
    import sys

    from repcounter.commands.common import check_exercise
    from repcounter.commands.scan import bluetooth_problem, select_profiles
    from repcounter.errors import UserError
    from repcounter.pipeline import Pipeline
    from repcounter.sinks.base import SessionInfo
    from repcounter.sinks.options import build_sinks

    exercise = check_exercise(args.exercise)
    if args.scan_timeout <= 0 or args.offline_after <= 0 or args.stall_after <= 0:
        raise UserError("--scan-timeout, --offline-after and --stall-after must be positive")
    if args.duration is not None and args.duration <= 0:
        raise UserError("--duration must be positive")
    profiles = select_profiles(args)
    logging.getLogger("repcounter.sources.ble").setLevel(min(logging.getLogger().level, logging.INFO))

    async def go() -> dict:
        from repcounter.sources.ble.scanner import scan
        from repcounter.sources.ble.source import BleSource

        try:
            found = await scan(profiles, args.scan_timeout, stop_when=args.sensor)
        except Exception as exc:
            raise UserError(f"cannot scan: {bluetooth_problem(exc)}") from None
        if args.sensor:
            chosen, missing = [], []
            for wanted in args.sensor:
                hit = next((f for f in found if f.matches(wanted) and f not in chosen), None)
                (chosen.append(hit) if hit else missing.append(wanted))
            if missing:
                seen = ", ".join(f"{f.name} ({f.address})" for f in found) or "none"
                raise UserError(f"sensor {missing[0]!r} not found in {args.scan_timeout:g} s (seen: {seen})")
        else:
            chosen = found
        if not chosen:
            raise UserError("no sensors found; wake the sensor (move it or press its button) and keep it near")
        for f in chosen:
            print(f"Using {f.name} ({f.address}, {f.profile.name}, {f.rssi} dBm)", file=sys.stderr)
        source = BleSource(chosen, offline_after_s=args.offline_after, stall_after_s=args.stall_after,
                           duration_s=args.duration)
        sinks = build_sinks(args)
        recorder = None
        if args.record:
            from repcounter.sources.ble.record import RecordSink

            recorder = RecordSink(args.record, several=len(chosen) > 1)
            sinks.append(recorder)
        session = SessionInfo.new(source.description, exercise,
                                  recording_path=str(args.record) if args.record and len(chosen) == 1 else None)
        result = await Pipeline(source, sinks, exercise=exercise, session=session).run()
        summary = {}
        for r in source.runners:
            tally = result.sensors.get(r.sensor_id)
            summary[r.sensor_id] = {
                "address": r.found.address, "profile": r.profile.key, "samples": r.samples_out,
                "dropped_packets": r.dropped_packets, "bad_packets": r.bad_packets, "reconnects": r.reconnects,
                "downtimes_s": [round(d, 3) for d in r.downtimes], "battery_pct": r.battery,
                "sets": [s.summary.to_dict() for s in tally.sets] if tally else [],
            }
        return summary

    try:
        summary = asyncio.run(go())
    except KeyboardInterrupt:
        raise
    for sid, s in summary.items():
        print(f"{sid}: {s['samples']} samples, {len(s['sets'])} set(s), {s['dropped_packets']} packets lost, "
              f"{s['bad_packets']} garbled, {s['reconnects']} reconnect(s)", file=sys.stderr)
    if args.summary_json:
        with open(args.summary_json, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=1)
    return 0
