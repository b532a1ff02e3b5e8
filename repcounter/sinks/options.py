"""Command-line options shared by every command that runs the live path (gateway, replay, demo)."""

from __future__ import annotations

import argparse

from repcounter.sinks.base import Sink


def add_sink_arguments(parser: argparse.ArgumentParser, store_default: bool = True) -> None:
    """Add ``[sinks]`` options: terminal, ``--events-json``, ``--mqtt``, ``--store``, ``--http``."""
    g = parser.add_argument_group("sinks (where events go)")
    g.add_argument("--events-json", action="store_true", help="print one JSON event per line (no console lines)")
    g.add_argument("--quiet", action="store_true", help="no live lines in the terminal")
    g.add_argument("--verbose-tempo", action="store_true", help="print each rep's full tempo when it completes")
    g.add_argument("--mqtt", metavar="URL", help="publish to a broker: mqtt://[user:pass@]host:port or mqtts://...")
    g.add_argument("--mqtt-ca", metavar="FILE", help="CA certificate for mqtts://")
    g.add_argument("--mqtt-cert", metavar="FILE", help="client certificate for mqtts://")
    g.add_argument("--mqtt-key", metavar="FILE", help="client key for mqtts://")
    g.add_argument("--mqtt-prefix", default="repcounter", help="topic prefix (default: repcounter)")
    g.add_argument("--mqtt-queue", metavar="DIR", help="on-disk queue while the broker is away")
    g.add_argument("--mqtt-raw", action="store_true", help="also publish raw samples (off by default)")
    g.add_argument("--store", metavar="PATH", help="local history database (default: on without --mqtt)")
    g.add_argument("--no-store", action="store_true", help="do not keep a local history")
    g.add_argument("--http", metavar="HOST:PORT", help="serve the live dashboard, e.g. 127.0.0.1:8000")
    g.add_argument("--http-stay", action="store_true", help="keep serving the dashboard after the session ends (Ctrl-C stops)")
    parser.set_defaults(_store_default=store_default)


def build_sinks(args: argparse.Namespace) -> list[Sink]:
    """Sinks for the parsed options; heavy modules are imported only when used."""
    from repcounter.sinks.console import ConsoleSink, JsonLinesSink

    sinks: list[Sink] = []
    if args.events_json:
        sinks.append(JsonLinesSink())
    elif not args.quiet:
        sinks.append(ConsoleSink(verbose=args.verbose_tempo))
    store_wanted = args.store or (getattr(args, "_store_default", False) and not args.mqtt)
    if store_wanted and not args.no_store:
        from repcounter.sinks.store import StoreSink

        sinks.append(StoreSink.from_args(args))
    if args.mqtt:
        from repcounter.sinks.mqtt import MqttSink

        sinks.append(MqttSink.from_args(args))
    if args.http:
        from repcounter.web.server import WebSink

        sinks.append(WebSink.from_args(args))
    return sinks
