"""MQTT 5 -> 3.1.1 fallback. Mosquitto 2.0 always accepts 5, so this uses a minimal 3.1.1-only server
(below) that refuses protocol level 5 the way a 3.1.1 broker does: CONNACK return code 1, then close."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from mqtt_harness import session_envelopes
from repcounter.mqtt_url import parse_broker_url
from repcounter.sinks.base import SessionInfo
from repcounter.sinks.mqtt import MqttSink


class Mqtt311OnlyServer:
    """Accepts MQTT 3.1.1 CONNECT, acknowledges QoS 1 PUBLISH; answers protocol level 5 with return code 1."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.levels: list[int] = []
        self.published: list[tuple[str, bytes]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_exact(conn: socket.socket, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = conn.recv(n - len(buf))
            if not chunk:
                raise ConnectionError
            buf += chunk
        return buf

    def _packet(self, conn: socket.socket) -> tuple[int, bytes]:
        head = self._read_exact(conn, 1)[0]
        length, mult = 0, 1
        while True:
            b = self._read_exact(conn, 1)[0]
            length += (b & 0x7F) * mult
            mult *= 128
            if not b & 0x80:
                break
        return head, self._read_exact(conn, length)

    def _serve(self, conn: socket.socket) -> None:
        try:
            head, body = self._packet(conn)
            assert head >> 4 == 1  # CONNECT
            name_len = int.from_bytes(body[:2], "big")
            level = body[2 + name_len]
            self.levels.append(level)
            if level != 4:
                conn.sendall(bytes([0x20, 0x02, 0x00, 0x01]))  # unacceptable protocol version
                return
            conn.sendall(bytes([0x20, 0x02, 0x00, 0x00]))
            while True:
                head, body = self._packet(conn)
                kind = head >> 4
                if kind == 3:  # PUBLISH
                    qos = (head >> 1) & 3
                    tlen = int.from_bytes(body[:2], "big")
                    topic = body[2:2 + tlen].decode()
                    rest = body[2 + tlen:]
                    if qos:
                        pid, rest = rest[:2], rest[2:]
                        conn.sendall(bytes([0x40, 0x02]) + pid)
                    self.published.append((topic, rest))
                elif kind == 12:  # PINGREQ
                    conn.sendall(bytes([0xD0, 0x00]))
                elif kind == 14:  # DISCONNECT
                    return
        except (ConnectionError, OSError, AssertionError, IndexError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


async def test_falls_back_to_mqtt_311(tmp_path: Path) -> None:
    server = Mqtt311OnlyServer()
    try:
        sink = MqttSink(parse_broker_url(f"mqtt://127.0.0.1:{server.port}"), queue_dir=tmp_path / "q", gateway_id="old")
        await sink.open(SessionInfo.new("test"))
        for env in session_envelopes([3], sensor="v311"):
            await sink.handle(env)
        await sink.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len([t for t, _ in server.published if t.endswith("/rep")]) < 6:
            time.sleep(0.05)
    finally:
        server.close()
    assert server.levels[:2] == [5, 4]  # tried 5 first, then 3.1.1
    assert [t for t, _ in server.published if t.endswith("/rep")] == ["repcounter/v311/rep"] * 6  # announced + completed
    assert sink.undelivered == 0
