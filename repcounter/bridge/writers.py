"""InfluxDB writers: 2.x/3.x through influxdb-client (token, org, bucket), 1.x through the v1 HTTP ``/write``."""

from __future__ import annotations

import base64
import http.client
import logging
import urllib.parse
from dataclasses import dataclass

from repcounter.bridge.points import PRECISION
from repcounter.errors import UserError

log = logging.getLogger(__name__)


class WriteError(Exception):
    """A failed write. ``retry`` False means retrying the same data cannot help (e.g. auth, bad data)."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class InfluxTarget:
    """Where to write: ``version`` 1 (db/rp/user/password) or 2/3 (token/org/bucket)."""

    url: str
    version: int = 2
    token: str | None = None
    org: str | None = None
    bucket: str | None = None
    db: str | None = None
    rp: str | None = None
    user: str | None = None
    password: str | None = None
    timeout_s: float = 10.0

    def check(self) -> "InfluxTarget":
        """Raise :class:`UserError` for incomplete or contradictory options."""
        parts = urllib.parse.urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UserError(f"--influx-url {self.url!r}: expected http://host:port or https://host:port")
        if self.version not in (1, 2, 3):
            raise UserError(f"--influx-version {self.version}: choose 1, 2 or 3")
        if self.version == 1:
            if not self.db:
                raise UserError("InfluxDB 1.x needs --influx-db (and optionally --influx-rp/--influx-user/--influx-password)")
        else:
            missing = [f for f, v in (("--influx-token", self.token), ("--influx-bucket", self.bucket)) if not v]
            if self.version == 2 and not self.org:
                missing.append("--influx-org")
            if missing:
                raise UserError(f"InfluxDB {self.version}.x needs {', '.join(missing)}")
        return self


class InfluxV1Writer:
    """POST line protocol to ``/write?db=&rp=&precision=u`` over one keep-alive HTTP connection."""

    def __init__(self, target: InfluxTarget) -> None:
        self.target = target
        parts = urllib.parse.urlsplit(target.url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 8086)
        self._base = parts.path.rstrip("/")
        params = {"db": target.db, "precision": "u" if PRECISION == "us" else PRECISION}
        if target.rp:
            params["rp"] = target.rp
        self._path = f"{self._base}/write?{urllib.parse.urlencode(params)}"
        self._headers = {"Content-Type": "text/plain; charset=utf-8"}
        if target.user:
            cred = base64.b64encode(f"{target.user}:{target.password or ''}".encode()).decode()
            self._headers["Authorization"] = f"Basic {cred}"
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self.target.timeout_s)
        return self._conn

    def write(self, lines: list[str]) -> None:
        """Write the lines; raise :class:`WriteError`."""
        if not lines:
            return
        body = "\n".join(lines).encode()
        try:
            conn = self._connection()
            conn.request("POST", self._path, body=body, headers=self._headers)
            resp = conn.getresponse()
            text = resp.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise WriteError(f"InfluxDB {self.target.url} unreachable: {exc}") from None
        if resp.status == 204:
            return
        if resp.status in (401, 403):
            raise WriteError(f"InfluxDB refused the credentials ({resp.status}): {text.strip()}", retry=False)
        if resp.status == 404 and "database not found" in text:
            raise WriteError(f"InfluxDB: {text.strip()} (create it or fix --influx-db)", retry=True)
        if resp.status == 400:
            raise WriteError(f"InfluxDB rejected the data: {text.strip()}", retry=False)
        raise WriteError(f"InfluxDB write failed ({resp.status}): {text.strip()}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class InfluxV2Writer:
    """Write through influxdb-client's synchronous write API (InfluxDB 2.x, and 3.x's v2-compatible endpoint)."""

    def __init__(self, target: InfluxTarget) -> None:
        from influxdb_client import InfluxDBClient, WritePrecision
        from influxdb_client.client.write_api import SYNCHRONOUS

        self.target = target
        self._client = InfluxDBClient(url=target.url, token=target.token, org=target.org or "",
                                      timeout=int(target.timeout_s * 1000), enable_gzip=False)
        self._api = self._client.write_api(write_options=SYNCHRONOUS)
        self._precision = {"us": WritePrecision.US, "ms": WritePrecision.MS, "ns": WritePrecision.NS}[PRECISION]

    def write(self, lines: list[str]) -> None:
        """Write the lines; raise :class:`WriteError`."""
        if not lines:
            return
        from influxdb_client.rest import ApiException

        try:
            self._api.write(bucket=self.target.bucket, org=self.target.org or "", record=lines,
                            write_precision=self._precision)
        except ApiException as exc:
            status = exc.status or 0
            msg = (exc.body or exc.reason or "").strip() if isinstance(exc.body or exc.reason, str) else str(exc)
            if status in (401, 403):
                raise WriteError(f"InfluxDB refused the token ({status}): {msg}", retry=False) from None
            if status == 400:
                raise WriteError(f"InfluxDB rejected the data: {msg}", retry=False) from None
            raise WriteError(f"InfluxDB write failed ({status}): {msg}") from None
        except Exception as exc:  # noqa: BLE001 - urllib3 connection errors and the like
            raise WriteError(f"InfluxDB {self.target.url} unreachable: {exc}") from None

    def close(self) -> None:
        try:
            self._api.close()
            self._client.close()
        except Exception:  # noqa: BLE001
            pass


def make_writer(target: InfluxTarget) -> InfluxV1Writer | InfluxV2Writer:
    """The writer for the target's API version."""
    target.check()
    return InfluxV1Writer(target) if target.version == 1 else InfluxV2Writer(target)
