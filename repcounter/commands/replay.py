"""``repcounter replay FILE.csv``: stream a recording through the live path (engine and sinks)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    from repcounter.sinks.options import add_sink_arguments

    p = sub.add_parser("replay", help="stream a recording through the live path",
                       description="Stream a recording through the same path as a live sensor: engine and sinks.")
    p.add_argument("file", help="recording CSV (t,ax,ay,az,gx,gy,gz)")
    p.add_argument("--speed", type=float, default=1.0, help="1 = real time, 10 = ten times faster, 0 = as fast as possible")
    p.add_argument("--sensor-id", help="sensor id to report (default: the file name)")
    p.add_argument("--exercise", default="auto", help="exercise name or auto (default)")
    p.add_argument("--packet-ms", type=float, default=50.0, help="signal per packet, ms (default 50)")
    add_sink_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from repcounter.commands.common import check_exercise
    from repcounter.errors import UserError
    from repcounter.pipeline import Pipeline
    from repcounter.sinks.base import SessionInfo
    from repcounter.sinks.options import build_sinks
    from repcounter.sources.replay import ReplaySource

    if args.speed < 0:
        raise UserError("--speed must be 0 (as fast as possible) or positive")
    exercise = check_exercise(args.exercise)
    source = ReplaySource(args.file, args.sensor_id, args.speed, args.packet_ms / 1000.0)
    session = SessionInfo.new(str(args.file), exercise, recording_path=str(args.file))
    pipeline = Pipeline(source, build_sinks(args), exercise=exercise, session=session)
    asyncio.run(pipeline.run())
    return 0
