"""``repcounter bridge-health``: exit 0 if the bridge's health file says it is healthy (a container healthcheck)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bridge-health", help="check a running bridge's --health-file (exit 0 healthy, 1 not)",
                       description="Read the file `repcounter bridge --health-file PATH` keeps up to date. Healthy "
                                   "(exit 0): written within --max-age seconds and MQTT connected. InfluxDB being "
                                   "down is reported but healthy: the bridge holds the messages and catches up. "
                                   "Unhealthy (exit 1): stale or missing file (bridge hung or dead), MQTT "
                                   "disconnected. Prints one line saying why.")
    p.add_argument("path", metavar="PATH", help="the bridge's --health-file")
    p.add_argument("--max-age", type=float, default=30.0, metavar="S",
                   help="older than this many seconds = stale (default 30)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from repcounter.bridge.health import check_file

    ok, line = check_file(args.path, args.max_age)
    print(f"bridge {'healthy' if ok else 'UNHEALTHY'}: {line}", flush=True)
    return 0 if ok else 1
