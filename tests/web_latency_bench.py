"""Benchmark: how long after the engine emits a rep does it show on the live page? (not a test)

Runs ``repcounter demo`` in a subprocess with the dashboard on a free port, opens the live page in headless
Chromium (nothing else touches the page: no screenshots, one poll every 0.5 s) and prints, over every
announced rep the page received, the delay from ``envelope.emitted_at`` to the DOM update and to the next
animation frame, in ms.

    .venv/bin/python -m tests.web_latency_bench [--speed 5] [--sets 6] [--pages 1]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tests.browser import Browser
from tests.web_harness import take_ctrl_c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed", type=float, default=5.0)
    ap.add_argument("--sets", type=int, default=6)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--pages", type=int, default=1, help="live pages open at once (each in its own browser)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, REPCOUNTER_HOME=tmp)
        err = Path(tmp) / "demo.err"
        with open(err, "wb") as fe:
            proc = subprocess.Popen([sys.executable, "-m", "repcounter", "demo", "--speed", str(args.speed),
                                     "--sets", str(args.sets), "--seed", str(args.seed), "--rest", "15",
                                     "--http", "127.0.0.1:0", "--http-stay", "--quiet"],
                                    stdout=subprocess.DEVNULL, stderr=fe, stdin=subprocess.DEVNULL, env=env,
                                    preexec_fn=take_ctrl_c)
        browsers: list[Browser] = []
        try:
            deadline = time.monotonic() + 60
            url = None
            while url is None and time.monotonic() < deadline:
                for line in err.read_text().splitlines():
                    if line.startswith("Live dashboard:"):
                        url = line.split(":", 1)[1].strip()
                time.sleep(0.05)
            if url is None:
                print("demo did not start:\n" + err.read_text())
                return 1
            started = time.monotonic()
            for i in range(args.pages):
                b = Browser(Path(tmp) / f"browser{i}")
                b.get(url)
                browsers.append(b)
            while not browsers[0].evaluate("document.getElementById('banner').hidden === false"):
                time.sleep(0.5)
            wall = time.monotonic() - started
            for i, b in enumerate(browsers):
                lat = b.evaluate("window.repcounterLatency")
                dom = np.array([r["dom_s"] for r in lat]) * 1000
                frame = np.array([r["frame_s"] for r in lat if r.get("frame_s") is not None]) * 1000
                print(f"page {i + 1}: {len(lat)} reps over {wall:.0f} s at --speed {args.speed:g}")
                for name, x in (("emit->DOM", dom), ("emit->frame", frame)):
                    if len(x):
                        print(f"  {name:<12} p50 {np.percentile(x, 50):6.1f} ms  p90 {np.percentile(x, 90):6.1f} ms  "
                              f"p99 {np.percentile(x, 99):6.1f} ms  max {x.max():6.1f} ms")
        finally:
            for b in browsers:
                b.close()
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
