"""The ``repcounter`` command: one subcommand per module in :mod:`repcounter.commands`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from repcounter import __version__
from repcounter.errors import UserError

COMMANDS: tuple[str, ...] = (
    "demo", "analyze", "simulate", "replay", "scan", "gateway", "bridge", "bridge_health", "history", "export", "import_",
)
"""Modules under repcounter.commands, in help order (``import_`` because ``import`` is a keyword)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(prog="repcounter", description="Count reps and measure tempo from a wrist sensor.")
    parser.add_argument("--version", action="version", version=f"repcounter {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"repcounter.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"repcounter.commands.{name}":
                continue
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for user errors, printed as one line)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"repcounter {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
