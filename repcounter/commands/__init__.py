"""Subcommands. Each module has ``add_parser(subparsers)`` and a ``run(args) -> int``; heavy imports live in run."""
