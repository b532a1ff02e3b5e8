"""``repcounter bridge``: MQTT -> InfluxDB (2.x/3.x via influxdb-client, 1.x via the v1 HTTP API)."""

from __future__ import annotations

import argparse
import os


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bridge", help="store MQTT results in InfluxDB",
                       description="Subscribe to the gateways' MQTT messages, validate them and write reps, sets, "
                                   "live state and sensor status to InfluxDB. Acknowledges only what is stored.")
    m = p.add_argument_group("MQTT")
    m.add_argument("--mqtt", required=True, metavar="URL", help="broker: mqtt://[user:pass@]host:port or mqtts://...")
    m.add_argument("--mqtt-ca", metavar="FILE", help="CA certificate for mqtts://")
    m.add_argument("--mqtt-cert", metavar="FILE", help="client certificate for mqtts://")
    m.add_argument("--mqtt-key", metavar="FILE", help="client key for mqtts://")
    m.add_argument("--mqtt-prefix", default="repcounter", help="topic prefix (default: repcounter)")
    m.add_argument("--share-group", default="repcounter-bridge",
                   help="shared-subscription group: bridges in one group split the load (default: repcounter-bridge; "
                        "'' for a plain subscription)")
    m.add_argument("--client-id", help="stable MQTT client id (default: repcounter-bridge-<host>-<group>)")
    i = p.add_argument_group("InfluxDB")
    i.add_argument("--influx-url", required=True, metavar="URL", help="e.g. http://127.0.0.1:8086")
    i.add_argument("--influx-version", type=int, choices=(1, 2, 3), default=None,
                   help="API: 2/3 = token/org/bucket via influxdb-client, 1 = db/rp/user/password "
                        "(default: 1 if --influx-db is given, else 2)")
    i.add_argument("--influx-token", default=os.environ.get("INFLUX_TOKEN"), help="API token (or $INFLUX_TOKEN)")
    i.add_argument("--influx-org", default=os.environ.get("INFLUX_ORG"), help="organisation (2.x)")
    i.add_argument("--influx-bucket", default=os.environ.get("INFLUX_BUCKET"), help="bucket (2.x) / database (3.x)")
    i.add_argument("--influx-db", help="database (1.x)")
    i.add_argument("--influx-rp", help="retention policy (1.x, default: the database's default)")
    i.add_argument("--influx-user", help="user (1.x)")
    i.add_argument("--influx-password", default=os.environ.get("INFLUX_PASSWORD"), help="password (1.x, or $INFLUX_PASSWORD)")
    p.add_argument("--batch-size", type=int, default=5000, help="messages per write (default 5000)")
    p.add_argument("--linger-ms", type=float, default=50.0, help="wait for more messages before a write, ms (default 50)")
    p.add_argument("--health-file", metavar="PATH",
                   help="rewrite this JSON file every --health-interval s with the bridge's state (MQTT connected, "
                        "InfluxDB failing, messages held, counters); check it with `repcounter bridge-health PATH`")
    p.add_argument("--health-interval", type=float, default=5.0, metavar="S",
                   help="seconds between health-file writes (default 5)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import logging
    import signal
    import threading

    from repcounter.bridge.service import Bridge
    from repcounter.bridge.writers import InfluxTarget, make_writer
    from repcounter.errors import UserError
    from repcounter.mqtt_url import parse_broker_url

    address = parse_broker_url(args.mqtt, args.mqtt_ca, args.mqtt_cert, args.mqtt_key)
    version = args.influx_version or (1 if args.influx_db else 2)
    if args.batch_size < 1 or args.linger_ms < 0:
        raise UserError("--batch-size must be >= 1 and --linger-ms >= 0")
    if args.health_interval <= 0:
        raise UserError("--health-interval must be > 0")
    health_file = None
    if args.health_file:
        from pathlib import Path

        health_file = Path(args.health_file)
        if not health_file.parent.is_dir():
            raise UserError(f"--health-file: directory {health_file.parent} does not exist")
        health_file.unlink(missing_ok=True)  # never let a previous run's file speak for this one
    target = InfluxTarget(args.influx_url, version, token=args.influx_token, org=args.influx_org,
                          bucket=args.influx_bucket, db=args.influx_db, rp=args.influx_rp, user=args.influx_user,
                          password=args.influx_password)
    writer = make_writer(target)
    bridge = Bridge(address, writer, prefix=args.mqtt_prefix, share_group=args.share_group or None,
                    client_id=args.client_id, batch_size=args.batch_size, linger_s=args.linger_ms / 1000.0)
    logging.getLogger("repcounter").setLevel(min(logging.getLogger().level, logging.INFO))
    bridge.start()
    done = threading.Event()

    def on_signal(_sig: int, _frame: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"bridge: {address.display} -> {target.url} (InfluxDB {version}.x); Ctrl-C to stop", flush=True)
    last = 0.0
    import time

    from repcounter.bridge.health import write_health_file

    def write_health() -> None:
        try:
            write_health_file(health_file, bridge.health())
        except Exception as exc:  # noqa: BLE001 - never stop the bridge over it (the file then goes stale)
            logging.getLogger("repcounter.bridge").warning("cannot write the health file: %s", exc)

    last_health = time.monotonic()
    if health_file:
        write_health()
    while not done.wait(min(1.0, args.health_interval)):
        if time.monotonic() - last > 60:
            last = time.monotonic()
            logging.getLogger("repcounter.bridge").info("stats %s", bridge.stats.as_dict())
        if health_file and time.monotonic() - last_health >= args.health_interval:
            last_health = time.monotonic()
            write_health()
    if health_file:
        health_file.unlink(missing_ok=True)
    bridge.stop()
    print(f"bridge stopped: {bridge.stats.as_dict()}", flush=True)
    return 0
