"""docker-compose.yml and the scripts under docker/: validated with docker-compose, and run for real where they
can run here (no Docker engine): the Mosquitto entrypoint starts a real broker from .env values, and the
bridge entrypoint runs the real ``repcounter bridge`` into influxd through influxdb-client's v2 write path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from services import InfluxV2Proxy, free_port, influxd, port_open, unique_db, wait_for  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKER = REPO / "docker"
SYSTEM_PY = "/usr/bin/python3"   # Debian's docker-compose depends on python3-yaml


def env_example() -> dict[str, str]:
    out = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            k, _, v = line.partition("=")
            out[k.strip()] = v.strip()
    return out


def compose_config(env_file: Path) -> subprocess.CompletedProcess[str]:
    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose not installed (scripts/system-packages)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MQTT_", "INFLUXDB_", "GRAFANA_"))}
    return subprocess.run(["docker-compose", "-f", str(COMPOSE), "--project-directory", str(REPO),
                           "--env-file", str(env_file), "config"], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    r = compose_config(ENV_EXAMPLE)
    assert r.returncode == 0, r.stderr
    y = subprocess.run([SYSTEM_PY, "-c", "import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
                       input=r.stdout, capture_output=True, text=True, check=True)
    return json.loads(y.stdout)


# ============================================================================== docker-compose config

def test_compose_file_is_valid_with_env_example(config: dict[str, Any]) -> None:
    assert set(config["services"]) == {"mosquitto", "influxdb", "influxdb-init", "grafana", "bridge"}


def test_services_wait_for_healthy_dependencies(config: dict[str, Any]) -> None:
    s = config["services"]
    for name in ("mosquitto", "influxdb", "grafana", "bridge"):
        assert s[name]["healthcheck"]["test"], name
    # the bridge's healthcheck reads the file its entrypoint has the bridge write (CMD form: no shell)
    test = s["bridge"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "repcounter", "bridge-health"]
    assert test[3] == s["bridge"]["environment"]["BRIDGE_HEALTH_FILE"]
    assert f"BRIDGE_HEALTH_FILE-{test[3]}" in (DOCKER / "bridge" / "entrypoint.sh").read_text()
    assert s["bridge"]["depends_on"] == {"mosquitto": {"condition": "service_healthy"},
                                         "influxdb": {"condition": "service_healthy"},
                                         "influxdb-init": {"condition": "service_completed_successfully"}}
    assert s["grafana"]["depends_on"]["influxdb-init"] == {"condition": "service_completed_successfully"}
    assert s["influxdb-init"]["depends_on"] == {"influxdb": {"condition": "service_healthy"}}


def test_env_values_reach_the_services(config: dict[str, Any]) -> None:
    env = env_example()
    s = config["services"]
    infl = s["influxdb"]["environment"]
    assert infl["DOCKER_INFLUXDB_INIT_MODE"] == "setup"
    assert infl["DOCKER_INFLUXDB_INIT_ORG"] == env["INFLUXDB_ORG"]
    assert infl["DOCKER_INFLUXDB_INIT_BUCKET"] == env["INFLUXDB_BUCKET"]
    assert infl["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"] == env["INFLUXDB_ADMIN_TOKEN"]
    mq = s["mosquitto"]["environment"]
    assert (mq["MQTT_GATEWAY_USER"], mq["MQTT_BRIDGE_PASSWORD"]) == (env["MQTT_GATEWAY_USER"], env["MQTT_BRIDGE_PASSWORD"])
    gf = s["grafana"]["environment"]
    assert gf["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
    assert gf["GF_SECURITY_ADMIN_PASSWORD"] == env["GRAFANA_ADMIN_PASSWORD"]
    assert gf["GF_DASHBOARDS_MIN_REFRESH_INTERVAL"] == "1s"
    assert gf["INFLUX_BUCKET"] == env["INFLUXDB_BUCKET"]
    br = s["bridge"]
    assert br["build"]["dockerfile"] == "docker/bridge/Dockerfile"
    assert br["environment"]["INFLUX_TOKEN_FILE"].startswith("/var/lib/repcounter-tokens/")
    # Grafana sees the provisioning and the dashboards the tests check.
    vols = " ".join(v if isinstance(v, str) else f"{v.get('source')}:{v.get('target')}" for v in s["grafana"]["volumes"])
    assert str(REPO / "dashboards" / "provisioning") in vols and str(REPO / "dashboards" / "json") in vols
    prov = (REPO / "dashboards/provisioning/dashboards/repcounter.yaml").read_text()
    target = re.search(r"path:\s*(\S+)", prov).group(1)
    assert f"{REPO / 'dashboards' / 'json'}:{target}" in vols.replace(":ro", "")


def test_a_missing_setting_is_named(tmp_path: Path) -> None:
    text = "\n".join(ln for ln in ENV_EXAMPLE.read_text().splitlines() if not ln.startswith("MQTT_BRIDGE_PASSWORD="))
    env_file = tmp_path / ".env"
    env_file.write_text(text + "\n")
    r = compose_config(env_file)
    assert r.returncode != 0
    assert "set MQTT_BRIDGE_PASSWORD in .env" in r.stderr


def test_shell_scripts_parse() -> None:
    for script in sorted(DOCKER.rglob("*.sh")):
        for shell in ("sh", "bash"):
            r = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
            assert r.returncode == 0, (shell, script, r.stderr)


def test_bridge_image_copies_what_exists() -> None:
    dockerfile = (DOCKER / "bridge" / "Dockerfile").read_text()
    copies = re.findall(r"^COPY\s+(.+)\s+\S+$", dockerfile, re.M)
    assert copies
    for line in copies:
        for src in line.split():
            assert (REPO / src).exists(), src
    ignore = (DOCKER / "bridge" / "Dockerfile.dockerignore").read_text().split()
    for line in copies:
        for src in line.split():
            assert f"!{src}" in ignore or f"!{src}/" in ignore, f"{src} is excluded from the build context"


# ============================================================================== mosquitto entrypoint, for real

MQ_ENV = {"MQTT_GATEWAY_USER": "gw", "MQTT_GATEWAY_PASSWORD": "gw-pass-1", "MQTT_BRIDGE_USER": "br",
          "MQTT_BRIDGE_PASSWORD": "br-pass-1", "MQTT_PREFIX": "rc"}


class EntryBroker:
    """docker/mosquitto/entrypoint.sh run as a child process (data dir and port moved for the test)."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.data = data
        self.port = free_port()
        self.env = {**os.environ, **env, "MQTT_DATA_DIR": str(data), "MQTT_LISTEN_PORT": str(self.port),
                    "MQTT_RUN_AS": "root"}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data.parent / "entry-mosquitto.log"

    def start(self) -> "EntryBroker":
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(["sh", str(DOCKER / "mosquitto" / "entrypoint.sh")], env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: port_open(self.port) or self.proc.poll() is not None, what="entrypoint mosquitto")
        assert self.proc.poll() is None, self.log.read_text()
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(15)


@pytest.fixture
def entry_broker(tmp_path: Path) -> Iterator[EntryBroker]:
    if not shutil.which("mosquitto") or not shutil.which("mosquitto_passwd"):
        pytest.skip("mosquitto not installed (scripts/system-packages)")
    b = EntryBroker(tmp_path / "data", MQ_ENV).start()
    yield b
    b.stop()


def connect(port: int, user: str | None = None, password: str | None = None) -> tuple[Any, int]:
    """Connect with paho (MQTT 5); returns the client (loop running) and the CONNACK reason code value."""
    import threading

    import paho.mqtt.client as mqtt

    done = threading.Event()
    result: dict[str, int] = {}
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    if user is not None:
        c.username_pw_set(user, password)

    def on_connect(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        result["rc"] = reason.value
        done.set()

    c.on_connect = on_connect
    c.connect("127.0.0.1", port)
    c.loop_start()
    assert done.wait(15), "no CONNACK"
    return c, result["rc"]


def test_mosquitto_entrypoint_makes_users_and_refuses_anonymous(entry_broker: EntryBroker) -> None:
    import paho.mqtt.client as mqtt

    pw = (entry_broker.data / "passwd").read_text()
    assert pw.startswith("gw:") and "\nbr:" in pw and "gw-pass-1" not in pw      # hashed, both users
    assert (entry_broker.data / "passwd").stat().st_mode & 0o077 == 0

    for user, password in ((None, None), ("gw", "wrong"), ("nobody", "gw-pass-1")):
        c, rc = connect(entry_broker.port, user, password)
        c.loop_stop()
        assert rc != 0, (user, password)

    got: list[tuple[str, bytes]] = []
    sub, rc = connect(entry_broker.port, "br", "br-pass-1")
    assert rc == 0
    sub.on_message = lambda _c, _u, m: got.append((m.topic, m.payload))
    granted: list[Any] = []
    sub.on_subscribe = lambda _c, _u, _mid, codes, _p: granted.extend(codes)
    sub.subscribe("$share/g/rc/#", qos=1)
    wait_for(lambda: granted, what="SUBACK")
    assert granted[0].value == 1
    pub, rc = connect(entry_broker.port, "gw", "gw-pass-1")
    assert rc == 0
    pub.publish("rc/wrist/rep", b"from-gateway", qos=1).wait_for_publish(10)
    pub.publish("other/topic", b"outside-prefix", qos=1).wait_for_publish(10)
    wait_for(lambda: got, what="message at the bridge user")
    # The bridge user may not publish results (only dead letters).
    bad, _ = connect(entry_broker.port, "br", "br-pass-1")
    bad.publish("rc/wrist/rep", b"from-bridge", qos=1).wait_for_publish(10)
    bad.publish("rc/deadletter", b"dead", qos=1).wait_for_publish(10)
    wait_for(lambda: ("rc/deadletter", b"dead") in got, what="dead letter")
    time.sleep(0.5)
    assert got == [("rc/wrist/rep", b"from-gateway"), ("rc/deadletter", b"dead")]
    for c in (sub, pub, bad):
        c.disconnect()
        c.loop_stop()


def test_mosquitto_password_file_is_made_only_at_first_start(tmp_path: Path) -> None:
    if not shutil.which("mosquitto"):
        pytest.skip("mosquitto not installed")
    b = EntryBroker(tmp_path / "data", MQ_ENV).start()
    first = (tmp_path / "data" / "passwd").read_text()
    b.stop()
    b2 = EntryBroker(tmp_path / "data", {**MQ_ENV, "MQTT_GATEWAY_PASSWORD": "changed"}).start()
    try:
        assert (tmp_path / "data" / "passwd").read_text() == first
        c, rc = connect(b2.port, "gw", "gw-pass-1")          # the first password still holds
        c.loop_stop()
        assert rc == 0
    finally:
        b2.stop()


def test_mosquitto_entrypoint_names_a_missing_setting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MQTT_")}
    env.update({k: v for k, v in MQ_ENV.items() if k != "MQTT_BRIDGE_PASSWORD"}, MQTT_DATA_DIR=str(tmp_path))
    r = subprocess.run(["sh", str(DOCKER / "mosquitto" / "entrypoint.sh")], env=env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2
    assert "MQTT_BRIDGE_PASSWORD is not set" in r.stderr
    assert not (tmp_path / "passwd").exists()


# ============================================================================== bridge entrypoint, for real

def test_bridge_entrypoint_writes_through_influxdb_client(entry_broker: EntryBroker, influxd: Any,  # noqa: F811
                                                          tmp_path: Path) -> None:
    from repcounter.engine.events import Rep, RepCompleted
    from repcounter.messages import encode, rep_message, sensor_topic
    from repcounter.sinks.base import EventEnvelope

    db = unique_db("compose")
    influxd.create_database(db)
    proxy = InfluxV2Proxy(influxd, token="bridge-write-token", org="gym").start()
    token_file = tmp_path / "bridge.token"
    token_file.write_text("bridge-write-token")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MQTT_", "INFLUX"))}
    # PYTHONPATH: the `repcounter` on PATH runs this checkout's package, not whatever the venv installed
    env.update(PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}", PYTHONPATH=str(REPO), MQTT_HOST="127.0.0.1",
               MQTT_PORT_INTERNAL=str(entry_broker.port), MQTT_BRIDGE_USER="br", MQTT_BRIDGE_PASSWORD="br-pass-1",
               MQTT_PREFIX="rc", BRIDGE_CLIENT_ID=f"compose-test-{os.getpid()}", INFLUX_URL=proxy.url,
               INFLUX_ORG="gym", INFLUX_BUCKET=db, INFLUX_TOKEN_FILE=str(token_file),
               REPCOUNTER_HOME=str(tmp_path / "home"), BRIDGE_HEALTH_FILE=str(tmp_path / "bridge-health.json"))
    log = tmp_path / "bridge.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["sh", str(DOCKER / "bridge" / "entrypoint.sh")], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    pub = None
    try:
        wait_for(lambda: "bridge:" in log.read_text() or proc.poll() is not None, what="bridge start")
        assert proc.poll() is None, log.read_text()
        r = Rep(1, 10.0, 11.0, 14.0, 1.0, 0.3, 2.0, 0.7, 90.0, 100.0, 0.9)
        envl = EventEnvelope("wrist", "sess-1", 0, RepCompleted(t=14.1, set_index=1, rep=r, exercise="pullup"),
                             emitted_at=time.time(), received_at=time.time(), origin_t=0.0,
                             origin_wall=time.time() - 60)
        pub, rc = connect(entry_broker.port, "gw", "gw-pass-1")
        assert rc == 0
        pub.publish(sensor_topic("rc", "wrist", "rep"), encode(rep_message(envl, "gw")), qos=1).wait_for_publish(10)
        wait_for(lambda: influxd.count("reps", "rep_index", db) == 1, timeout=60, what=f"stored rep ({log.read_text()[-800:]})")
        row = influxd.rows('SELECT "eccentric_s", "set_index", "sensor" FROM "reps"', db)[0]
        assert row["eccentric_s"] == 2.0 and row["set_index"] == 1 and row["sensor"] == "wrist"
        assert proxy.requests >= 1                                 # it went through /api/v2/write
        # the compose healthcheck's command on the file the entrypoint asked for
        health = subprocess.run([sys.executable, "-m", "repcounter", "bridge-health", str(tmp_path / "bridge-health.json")],
                                capture_output=True, text=True, cwd=REPO, timeout=60)
        assert health.returncode == 0 and "MQTT connected" in health.stdout, (health.stdout, health.stderr)
    finally:
        if pub is not None:
            pub.disconnect()
            pub.loop_stop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        proxy.stop()


def test_bridge_entrypoint_names_a_missing_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MQTT_", "INFLUX"))}
    env.update(INFLUX_TOKEN_FILE=str(tmp_path / "absent.token"))
    r = subprocess.run(["sh", str(DOCKER / "bridge" / "entrypoint.sh")], env=env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2
    assert "absent.token is missing or empty (did influxdb-init run?)" in r.stderr


def test_grafana_image_matches_the_schema_the_dashboards_are_checked_against(config: dict[str, Any]) -> None:
    image = config["services"]["grafana"]["image"]
    pkg = json.loads((REPO / "tests" / "grafana_schema" / "package.json").read_text())
    assert image.rsplit(":", 1)[1] == pkg["devDependencies"]["@grafana/schema"], image
