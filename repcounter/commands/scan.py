"""``repcounter scan``: nearby sensors that match a profile in firmware_config/."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="list nearby wrist sensors that match a profile",
                       description="Scan for sensors that match a profile in firmware_config/: name, address, "
                                   "signal strength, profile and battery where readable.")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds to scan (default 5)")
    p.add_argument("--profile", action="append", help="only this profile (file name without .toml); repeatable")
    p.add_argument("--profiles", metavar="DIR", help="profile folder (default: firmware_config/ or $REPCOUNTER_PROFILES)")
    p.add_argument("--battery", action="store_true", help="connect briefly to read the battery where not advertised")
    p.add_argument("--json", action="store_true", help="one JSON object per sensor")
    p.set_defaults(func=run)


def select_profiles(args: argparse.Namespace) -> list:
    """Profiles from ``--profiles`` / ``--profile`` (UserError naming what is unknown)."""
    from repcounter.errors import UserError
    from repcounter.sources.ble.profiles import load_profiles

    profiles = load_profiles(args.profiles)
    if args.profile:
        unknown = [p for p in args.profile if p not in profiles]
        if unknown:
            raise UserError(f"unknown profile {unknown[0]!r}; choose from: {', '.join(profiles)}")
        return [profiles[p] for p in args.profile]
    return list(profiles.values())


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from repcounter.errors import UserError

    if args.timeout <= 0:
        raise UserError("--timeout must be positive")
    profiles = select_profiles(args)

    async def go() -> list:
        from repcounter.sources.ble.scanner import scan

        return await scan(profiles, args.timeout, read_battery=args.battery)

    try:
        found = asyncio.run(go())
    except Exception as exc:
        raise UserError(f"cannot scan: {bluetooth_problem(exc)}") from None
    if args.json:
        for f in found:
            print(json.dumps({"name": f.name, "address": f.address, "rssi": f.rssi, "profile": f.profile.key,
                              "battery_pct": f.battery_pct}))
        return 0
    if not found:
        print("No sensors found. Wake the sensor (move it / press its button) and keep it near the gateway.")
        return 1
    print(f"{'NAME':24} {'ADDRESS':17} {'RSSI':>5} {'PROFILE':20} BATTERY")
    for f in found:
        batt = f"{f.battery_pct}%" if f.battery_pct is not None else "-"
        print(f"{f.name[:24]:24} {f.address:17} {f.rssi:>5} {f.profile.key[:20]:20} {batt}")
    return 0


def bluetooth_problem(exc: BaseException) -> str:
    """One line a lifter can act on, from a bleak / D-Bus error."""
    text = str(exc) or type(exc).__name__
    low = text.lower()
    if "serviceunknown" in low or "org.bluez was not provided" in low:
        return "BlueZ is not running on this machine (start it: sudo systemctl start bluetooth)"
    if "no bluetooth adapters" in low or "central" in low and "role" in low:
        return "no Bluetooth LE adapter found (plug one in, or check: bluetoothctl list)"
    if "powered" in low:
        return "Bluetooth is switched off; turn it on (bluetoothctl power on)"
    if isinstance(exc, (FileNotFoundError, ConnectionRefusedError)) or "no such file" in low:
        return "cannot reach the system D-Bus (is dbus running? DBUS_SYSTEM_BUS_ADDRESS set right?)"
    return text.splitlines()[0]
