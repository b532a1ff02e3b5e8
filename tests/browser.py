"""A tiny W3C WebDriver client for headless Chromium through /usr/bin/chromedriver (standard library only).

Why chromedriver and not raw DevTools: WebDriver is plain HTTP+JSON (urllib does it), while the DevTools
protocol needs a websocket client; selenium would be a 10 MB dependency for the dozen calls used here.

    with Browser(tmp_path) as b:
        b.get("http://127.0.0.1:8000/")
        b.wait_for("document.querySelector('.card') !== null")
        b.screenshot("test-artifacts/live.png")
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.services import free_port

CHROMIUM = os.environ.get("REPCOUNTER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("REPCOUNTER_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
               "--disable-extensions", "--mute-audio", "--hide-scrollbars"]


def available() -> bool:
    """Chromium and chromedriver are installed."""
    return bool(shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER))


class WebDriverError(RuntimeError):
    """chromedriver answered with an error."""


class Browser:
    """Headless Chromium with a fresh profile, driven over WebDriver; stopped by :meth:`close`.

    Args:
        workdir: a scratch directory (profile and driver log go there).
        width, height: window size in CSS px.
    """

    def __init__(self, workdir: Path, width: int = 1280, height: int = 900, timeout_s: float = 60.0) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.timeout_s = timeout_s
        log = open(self.workdir / "chromedriver.log", "wb")
        self.driver = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.session: str | None = None
        try:
            self._wait_ready()
            profile = self.workdir / "chromium-profile"
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome", "pageLoadStrategy": "normal",
                "goog:chromeOptions": {"binary": CHROMIUM, "args": CHROME_ARGS + [
                    f"--user-data-dir={profile}", f"--window-size={width},{height}"]},
            }}}
            self.session = self._call("POST", "/session", caps)["sessionId"]
            self.set_size(width, height)
        except Exception:
            self.close()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self.driver.poll() is not None:
                raise WebDriverError(f"chromedriver exited with {self.driver.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/status", timeout=2) as res:
                    if json.load(res)["value"].get("ready"):
                        return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.1)
        raise WebDriverError("chromedriver did not become ready")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                payload = json.load(res)
        except urllib.error.HTTPError as exc:
            try:
                value = json.load(exc)["value"]
                message = f"{value.get('error')}: {value.get('message', '').splitlines()[0]}"
            except Exception:
                message = str(exc)
            raise WebDriverError(f"{method} {path}: {message}") from None
        return payload.get("value")

    def _s(self, path: str) -> str:
        return f"/session/{self.session}{path}"

    # ---- the calls the tests use ----------------------------------------------------------------------
    def get(self, url: str) -> None:
        """Navigate and wait for the page load."""
        self._call("POST", self._s("/url"), {"url": url})

    def execute(self, script: str, *args: Any) -> Any:
        """Run a function body in the page (``return ...`` to get a value)."""
        return self._call("POST", self._s("/execute/sync"), {"script": script, "args": list(args)})

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression."""
        return self.execute(f"return ({expression});")

    def wait_for(self, expression: str, timeout_s: float = 30.0, interval_s: float = 0.05) -> Any:
        """Poll until a JavaScript expression is truthy; returns its value (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout_s
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(interval_s)
        raise AssertionError(f"timed out after {timeout_s} s waiting for: {expression} (last value {value!r})")

    def text(self, selector: str) -> str | None:
        """textContent of the first element matching a CSS selector (None if none)."""
        return self.execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                            selector)

    def set_size(self, width: int, height: int) -> None:
        """Resize the window (CSS px)."""
        self._call("POST", self._s("/window/rect"), {"width": width, "height": height})

    def screenshot(self, path: Path | str, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or the whole page height with ``full_page``)."""
        if full_page:
            rect = self._call("GET", self._s("/window/rect"))
            height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
            self.set_size(rect["width"], max(rect["height"], min(height + 140, 6000)))
        png = base64.b64decode(self._call("GET", self._s("/screenshot")))
        if full_page:
            self.set_size(rect["width"], rect["height"])
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return path

    def console_errors(self) -> list[str]:
        """SEVERE browser log entries (uncaught errors, failed loads) since the last call."""
        entries = self._call("POST", self._s("/se/log"), {"type": "browser"}) or []
        return [e["message"] for e in entries if e.get("level") == "SEVERE"]

    def close(self) -> None:
        """End the browser session and stop chromedriver."""
        if self.session is not None:
            try:
                self._call("DELETE", f"/session/{self.session}")
            except Exception:
                pass
            self.session = None
        if self.driver.poll() is None:
            self.driver.terminate()
            try:
                self.driver.wait(10)
            except subprocess.TimeoutExpired:
                self.driver.kill()
                self.driver.wait()

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
