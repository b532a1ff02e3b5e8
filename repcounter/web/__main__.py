"""``python -m repcounter.web [--http HOST:PORT] [--store PATH]``: serve the history pages on their own.

The live page shows "waiting" (no session runs in this process). Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from repcounter.errors import UserError


async def _serve(host: str, port: int, store: str | None) -> None:
    from pathlib import Path

    from repcounter.paths import default_store_path
    from repcounter.web.server import DashboardServer

    server = DashboardServer(host, port, Path(store) if store else default_store_path())
    url = await server.start()
    print(f"Dashboard: {url}", file=sys.stderr, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    """Parse the options and serve until Ctrl-C; 2 on a configuration error."""
    from repcounter.web.server import parse_http_address

    p = argparse.ArgumentParser(prog="python -m repcounter.web", description="Serve the repcounter history pages.")
    p.add_argument("--http", default="127.0.0.1:8000", metavar="HOST:PORT", help="where to listen (port 0 = free port)")
    p.add_argument("--store", metavar="PATH", help="history database (default: the user's data directory)")
    args = p.parse_args(argv)
    try:
        host, port = parse_http_address(args.http)
        asyncio.run(_serve(host, port, args.store))
    except UserError as exc:
        print(f"repcounter web: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
