"""Real servers for tests: Mosquitto and InfluxDB 1.x as child processes on free loopback ports.

Usage in a test module::

    from services import Mosquitto, Influxd, mosquitto, influxd, influx_v2_proxy  # noqa: F401

``mosquitto`` / ``influxd`` are module-scoped pytest fixtures (one server per test module); tests that
restart or stop a server should make their own with :func:`start_mosquitto` / :func:`start_influxd` or the
``fresh_mosquitto`` / ``fresh_influxd`` function-scoped fixtures.

Mosquitto listeners (``per_listener_settings true``):
    ``port``       plain, anonymous allowed
    ``auth_port``  plain, anonymous refused, users from a password file (``user``/``password``)
    ``tls_port``   TLS with a self-signed CA (``ca_file``), anonymous allowed, no client cert needed
    ``mtls_port``  TLS that requires a client certificate signed by the CA (``client_cert``, ``client_key``)

Influxd: Debian's influxdb 1.6.7 with its HTTP API on ``port``, RPC bind address moved off 8088, every
``INFLUXDB_*`` variable stripped from its environment, data in a temp dir.

:class:`InfluxV2Proxy` is a small translation of the InfluxDB 2 write API (``POST /api/v2/write?org=&bucket=``
with ``Authorization: Token ...``) onto the 1.x ``/write`` endpoint (``bucket`` ``db/rp`` or ``db`` ->
``db``/``rp``), so influxdb-client's own write code runs against the real influxd.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

STARTUP_TIMEOUT_S = 30.0


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now and not handed out before in this process: the OS may give
    the same ephemeral port to two binds in a row, and a server given it for two listeners fails to start."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def wait_for(predicate: Callable[[], Any], timeout: float = STARTUP_TIMEOUT_S, interval: float = 0.05,
             what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy; raise TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_exc: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - keep polling
            last_exc = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}" + (f" (last error: {last_exc})" if last_exc else ""))


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """True if something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def make_test_pki(directory: Path) -> dict[str, Path]:
    """A self-signed CA, a server cert for localhost/127.0.0.1 and a client cert, made with openssl."""
    directory.mkdir(parents=True, exist_ok=True)
    d = directory

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=repcounter test CA",
        "-keyout", "ca.key", "-out", "ca.crt")
    (d / "server.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", "server.ext", "-out", "server.crt")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=repcounter-client", "-keyout", "client.key",
        "-out", "client.csr")
    run("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-out", "client.crt")
    # A CA the server does not use: a client trusting only this must refuse the server.
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=other CA",
        "-keyout", "other-ca.key", "-out", "other-ca.crt")
    return {"ca": d / "ca.crt", "server": d / "server.crt", "server_key": d / "server.key",
            "client": d / "client.crt", "client_key": d / "client.key", "other_ca": d / "other-ca.crt"}


class _Child:
    """A server child process with start/stop/kill/restart on fixed ports."""

    name = "server"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / f"{self.name}.log"

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _env(self) -> dict[str, str]:
        return dict(os.environ)

    def _ready(self) -> bool:
        raise NotImplementedError

    def start(self) -> "_Child":
        """Start the process and wait until it accepts connections."""
        if self.running:
            return self
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT, env=self._env(),
                                     cwd=self.workdir, start_new_session=True)
        log.close()

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {self.log_tail()}")
            return self._ready()

        wait_for(ready, what=f"{self.name} to start")
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """Stop gracefully (SIGTERM), then SIGKILL if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        self.proc = None

    def kill(self) -> None:
        """Kill abruptly (SIGKILL), as a crash would."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(15)
        self.proc = None

    def restart(self, hard: bool = False, down_s: float = 0.0) -> None:
        """Stop (``hard`` = SIGKILL), stay down ``down_s`` s, start again on the same ports."""
        self.kill() if hard else self.stop()
        if down_s:
            time.sleep(down_s)
        self.start()

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __enter__(self) -> "_Child":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Mosquitto(_Child):
    """A real mosquitto broker with plain, password, TLS and mutual-TLS listeners (see module doc)."""

    name = "mosquitto"
    user = "gateway"
    password = "s3cret-pass"

    def __init__(self, workdir: Path | None = None, persistence: bool = True, max_queued: int = 100000) -> None:
        workdir = Path(workdir or tempfile.mkdtemp(prefix="mosquitto-"))
        workdir.mkdir(parents=True, exist_ok=True)
        super().__init__(workdir)
        self.port = free_port()
        self.auth_port = free_port()
        self.tls_port = free_port()
        self.mtls_port = free_port()
        self.pki = make_test_pki(workdir / "pki")
        self.ca_file = self.pki["ca"]
        self.client_cert = self.pki["client"]
        self.client_key = self.pki["client_key"]
        self.other_ca_file = self.pki["other_ca"]
        self.passwd_file = workdir / "passwd"
        self.passwd_file.write_text("")
        subprocess.run(["mosquitto_passwd", "-b", str(self.passwd_file), self.user, self.password], check=True,
                       capture_output=True)
        self.passwd_file.chmod(0o600)
        (workdir / "data").mkdir(exist_ok=True)
        pki = self.pki
        persist = (f"persistence true\npersistence_location {workdir / 'data'}/\nautosave_interval 1\n"
                   if persistence else "persistence false\n")
        self.conf_path = workdir / "mosquitto.conf"
        self.conf_path.write_text(
            "user root\n"
            "per_listener_settings true\n"
            f"{persist}"
            "log_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
            f"max_queued_messages {max_queued}\n"
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
            f"listener {self.auth_port} 127.0.0.1\nallow_anonymous false\npassword_file {self.passwd_file}\n"
            f"listener {self.tls_port} 127.0.0.1\nallow_anonymous true\n"
            f"cafile {pki['ca']}\ncertfile {pki['server']}\nkeyfile {pki['server_key']}\n"
            f"listener {self.mtls_port} 127.0.0.1\nallow_anonymous true\n"
            f"cafile {pki['ca']}\ncertfile {pki['server']}\nkeyfile {pki['server_key']}\n"
            "require_certificate true\n"
        )

    def _command(self) -> list[str]:
        return ["mosquitto", "-c", str(self.conf_path)]

    def _ready(self) -> bool:
        return all(port_open(p) for p in (self.port, self.auth_port, self.tls_port, self.mtls_port))

    @property
    def url(self) -> str:
        """Anonymous plain listener."""
        return f"mqtt://127.0.0.1:{self.port}"

    @property
    def auth_url(self) -> str:
        """Password listener with the right credentials."""
        return f"mqtt://{self.user}:{self.password}@127.0.0.1:{self.auth_port}"

    @property
    def tls_url(self) -> str:
        return f"mqtts://localhost:{self.tls_port}"

    @property
    def mtls_url(self) -> str:
        return f"mqtts://localhost:{self.mtls_port}"


class Influxd(_Child):
    """A real influxd 1.x on a free loopback port; optional ``auth`` with an admin user."""

    name = "influxd"
    admin_user = "admin"
    admin_password = "admin-pass"

    def __init__(self, workdir: Path | None = None, auth: bool = False) -> None:
        workdir = Path(workdir or tempfile.mkdtemp(prefix="influxd-"))
        workdir.mkdir(parents=True, exist_ok=True)
        super().__init__(workdir)
        self.port = free_port()
        self.rpc_port = free_port()
        self.auth = auth
        self.conf_path = workdir / "influxdb.conf"
        self.conf_path.write_text(
            "reporting-disabled = true\n"
            f'bind-address = "127.0.0.1:{self.rpc_port}"\n'
            f'[meta]\n  dir = "{workdir}/meta"\n  logging-enabled = false\n'
            f'[data]\n  dir = "{workdir}/data"\n  wal-dir = "{workdir}/wal"\n  query-log-enabled = false\n'
            '  index-version = "inmem"\n'
            "[monitor]\n  store-enabled = false\n"
            "[continuous_queries]\n  enabled = false\n"
            "[subscriber]\n  enabled = false\n"
            f'[http]\n  enabled = true\n  bind-address = "127.0.0.1:{self.port}"\n'
            f"  auth-enabled = {'true' if auth else 'false'}\n  log-enabled = false\n  pprof-enabled = false\n"
            "[logging]\n  level = \"warn\"\n"
        )
        self._admin_made = False

    def _command(self) -> list[str]:
        return ["influxd", "run", "-config", str(self.conf_path)]

    def _env(self) -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if not k.startswith("INFLUXDB_")}

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/ping", timeout=1) as r:
                return r.status == 204
        except (urllib.error.URLError, OSError):
            return False

    def start(self) -> "Influxd":
        super().start()
        if self.auth and not self._admin_made:
            self.query(f"CREATE USER {self.admin_user} WITH PASSWORD '{self.admin_password}' WITH ALL PRIVILEGES",
                       method="POST", auth=False)
            self._admin_made = True
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query(self, q: str, db: str | None = None, method: str = "GET", auth: bool = True,
              epoch: str | None = "ns") -> dict[str, Any]:
        """Run InfluxQL through the HTTP API; returns the decoded JSON (raises on HTTP errors)."""
        params = {"q": q}
        if db:
            params["db"] = db
        if epoch:
            params["epoch"] = epoch
        url = f"{self.url}/query"
        if self.auth and auth:  # influxd reads u/p from the URL query only
            url += "?" + urllib.parse.urlencode({"u": self.admin_user, "p": self.admin_password})
        data = None
        if method == "POST":
            data = urllib.parse.urlencode(params).encode()
        else:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        req = urllib.request.Request(url, data=data, method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def create_database(self, db: str) -> None:
        self.query(f'CREATE DATABASE "{db}"', method="POST")

    def rows(self, q: str, db: str) -> list[dict[str, Any]]:
        """Rows of every series of a query as dicts (tags merged in)."""
        out: list[dict[str, Any]] = []
        for result in self.query(q, db).get("results", []):
            if "error" in result:
                raise RuntimeError(result["error"])
            for series in result.get("series", []) or []:
                tags = series.get("tags", {})
                for values in series["values"]:
                    row = dict(zip(series["columns"], values))
                    row.update(tags)
                    out.append(row)
        return out

    def count(self, measurement: str, field: str, db: str, where: str = "") -> int:
        """``SELECT COUNT(field)`` summed over all series (0 when nothing is stored)."""
        rows = self.rows(f'SELECT COUNT("{field}") FROM "{measurement}" {where}', db)
        return int(sum(r.get("count") or 0 for r in rows))


class InfluxV2Proxy:
    """Translate InfluxDB 2 ``/api/v2/write`` onto a 1.x ``/write`` (test harness only).

    ``bucket`` is ``db/rp`` or ``db`` (like a DBRP mapping); ``Authorization: Token <token>`` must match
    ``token`` (401 otherwise). Bodies (gzip too) are passed through unchanged. Also answers ``/ping``
    and ``/health``. Everything else is 404.
    """

    def __init__(self, influxd: Influxd, token: str = "test-token", org: str = "gym") -> None:
        self.influxd = influxd
        self.token = token
        self.org = org
        self.requests = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, code: int, body: bytes = b"", ctype: str = "application/json",
                       headers: dict[str, str] | None = None) -> None:
                self.send_response(code)
                if body:
                    self.send_header("Content-Type", ctype)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                path = urllib.parse.urlsplit(self.path).path
                if path in ("/ping", "/health"):
                    self._reply(200, b'{"status":"pass"}')
                else:
                    self._reply(404, b'{"code":"not found"}')

            def do_POST(self) -> None:  # noqa: N802
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if parts.path != "/api/v2/write":
                    self._reply(404, b'{"code":"not found"}')
                    return
                proxy.requests += 1
                if self.headers.get("Authorization", "") != f"Token {proxy.token}":
                    self._reply(401, b'{"code":"unauthorized","message":"unauthorized access"}')
                    return
                q = urllib.parse.parse_qs(parts.query)
                org = (q.get("org") or q.get("orgID") or [""])[0]
                bucket = (q.get("bucket") or [""])[0]
                if org != proxy.org or not bucket:
                    self._reply(404, json.dumps({"code": "not found",
                                                 "message": f"bucket {bucket!r} in org {org!r} not found"}).encode())
                    return
                db, _, rp = bucket.partition("/")
                precision = {"ns": "n", "us": "u", "ms": "ms", "s": "s"}.get((q.get("precision") or ["ns"])[0], "n")
                params = {"db": db, "precision": precision}
                if rp:
                    params["rp"] = rp
                if proxy.influxd.auth:
                    params.update(u=proxy.influxd.admin_user, p=proxy.influxd.admin_password)
                headers = {"Content-Type": "text/plain; charset=utf-8"}
                if self.headers.get("Content-Encoding"):
                    headers["Content-Encoding"] = self.headers["Content-Encoding"]
                req = urllib.request.Request(f"{proxy.influxd.url}/write?{urllib.parse.urlencode(params)}",
                                             data=body, headers=headers, method="POST")
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        self._reply(204 if r.status == 204 else r.status, r.read())
                except urllib.error.HTTPError as exc:
                    self._reply(exc.code, exc.read() or b'{"code":"internal error"}')
                except (urllib.error.URLError, OSError) as exc:
                    self._reply(503, json.dumps({"code": "unavailable", "message": str(exc)}).encode(),
                                headers={"Retry-After": "1"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, name="influx-v2-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "InfluxV2Proxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------------------------- fixtures

def start_mosquitto(workdir: Path | None = None, **kw: Any) -> Mosquitto:
    """A started :class:`Mosquitto` (caller stops it)."""
    return Mosquitto(workdir, **kw).start()


def start_influxd(workdir: Path | None = None, **kw: Any) -> Influxd:
    """A started :class:`Influxd` (caller stops it)."""
    return Influxd(workdir, **kw).start()


@pytest.fixture(scope="module")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mosquitto]:
    """A broker shared by the tests of one module."""
    if not shutil.which("mosquitto"):
        pytest.skip("mosquitto not installed (scripts/system-packages)")
    server = start_mosquitto(tmp_path_factory.mktemp("mosquitto"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def influxd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Influxd]:
    """An influxd shared by the tests of one module (use a fresh database name per test)."""
    if not shutil.which("influxd"):
        pytest.skip("influxd not installed (scripts/system-packages)")
    server = start_influxd(tmp_path_factory.mktemp("influxd"))
    yield server
    server.stop()


@pytest.fixture
def fresh_mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    """A broker for one test (free to restart/kill)."""
    if not shutil.which("mosquitto"):
        pytest.skip("mosquitto not installed (scripts/system-packages)")
    server = start_mosquitto(tmp_path / "mosquitto")
    yield server
    server.stop()


@pytest.fixture
def fresh_influxd(tmp_path: Path) -> Iterator[Influxd]:
    """An influxd for one test (free to restart/stop)."""
    if not shutil.which("influxd"):
        pytest.skip("influxd not installed (scripts/system-packages)")
    server = start_influxd(tmp_path / "influxd")
    yield server
    server.stop()


@pytest.fixture
def influx_v2_proxy(influxd: Influxd) -> Iterator[InfluxV2Proxy]:
    """The v2-write translation in front of the module's influxd (token ``test-token``, org ``gym``)."""
    proxy = InfluxV2Proxy(influxd).start()
    yield proxy
    proxy.stop()


_db_counter = 0


def unique_db(prefix: str = "repcounter") -> str:
    """A database name no other test in this process uses."""
    global _db_counter
    _db_counter += 1
    return f"{prefix}_{os.getpid()}_{_db_counter}"
