"""Local web dashboard: a live page pushed over server-sent events, and history pages from the SQLite store.

Standard library + asyncio only; the browser side is plain HTML/CSS/JS with uPlot (vendored, MIT) for trend
charts. Start it with ``--http HOST:PORT`` on ``replay``/``gateway``/``demo`` (see ``docs/web-dashboard.md``).
"""
