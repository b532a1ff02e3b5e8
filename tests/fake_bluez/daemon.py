"""A private dbus-daemon for tests: its own socket, a config that lets the emulator own org.bluez."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_match_rules_per_connection">4096</limit>
  <limit name="max_replies_per_connection">4096</limit>
</busconfig>
"""


class DbusDaemon:
    """Start ``dbus-daemon`` on a unix socket in a temp dir; ``address`` is its bus address."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="fake-bluez-bus-"))
        self.proc: subprocess.Popen[str] | None = None
        self.address = ""

    def start(self) -> "DbusDaemon":
        exe = shutil.which("dbus-daemon")
        if exe is None:
            raise RuntimeError("dbus-daemon not installed (Debian package dbus)")
        socket = self.dir / "bus"
        conf = self.dir / "bus.conf"
        conf.write_text(CONFIG.format(socket=socket))
        self.proc = subprocess.Popen([exe, f"--config-file={conf}", "--nofork", "--nopidfile", "--print-address=1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line:
            raise RuntimeError("dbus-daemon did not start")
        self.address = line
        return self

    def env(self) -> dict[str, str]:
        """Environment for a process under test: its system bus is this daemon."""
        return {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": self.address}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "DbusDaemon":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
