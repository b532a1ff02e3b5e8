"""``python -m fake_bluez SCENARIO.json [--bus ADDRESS]``: serve org.bluez until SIGTERM; prints "ready"."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys


def main() -> int:
    parser = argparse.ArgumentParser(prog="fake_bluez")
    parser.add_argument("scenario")
    parser.add_argument("--bus", default=os.environ.get("DBUS_SYSTEM_BUS_ADDRESS"))
    args = parser.parse_args()
    with open(args.scenario, encoding="utf-8") as fh:
        scenario = json.load(fh)

    from fake_bluez.bluez import FakeBluez
    from fake_bluez.scenario import build_sensors, report

    async def go() -> None:
        sensors = build_sensors(scenario)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        async with FakeBluez(args.bus, sensors):
            print("ready", flush=True)
            await stop.wait()
        if scenario.get("report"):
            with open(scenario["report"], "w", encoding="utf-8") as fh:
                json.dump(report(sensors), fh, indent=1)

    asyncio.run(go())
    return 0


if __name__ == "__main__":
    sys.exit(main())
