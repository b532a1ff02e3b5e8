"""Broker addresses: ``mqtt://[user:pass@]host[:port]`` and ``mqtts://...`` with CA / client certificate files."""

from __future__ import annotations

import os
import ssl
import urllib.parse
from dataclasses import dataclass

from repcounter.errors import UserError

DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}


@dataclass(frozen=True)
class BrokerAddress:
    """Where and how to connect to an MQTT broker.

    Attributes:
        host, port: the broker.
        tls: ``mqtts://`` (TLS on).
        username, password: from the URL (percent-decoded), or None.
        ca_file: CA certificate that signed the broker's certificate (None: the system CAs).
        cert_file, key_file: client certificate and key for brokers that require one.
    """

    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None

    @property
    def display(self) -> str:
        """The URL without the password (for logs and messages)."""
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"

    def ssl_context(self) -> ssl.SSLContext | None:
        """A verifying TLS context for ``mqtts://`` (None for plain ``mqtt://``)."""
        if not self.tls:
            return None
        try:
            ctx = ssl.create_default_context(cafile=self.ca_file)
            if self.cert_file:
                ctx.load_cert_chain(self.cert_file, self.key_file)
        except (OSError, ssl.SSLError) as exc:
            raise UserError(f"cannot load TLS files for {self.display}: {exc}") from None
        return ctx


def parse_broker_url(url: str, ca_file: str | None = None, cert_file: str | None = None,
                     key_file: str | None = None) -> BrokerAddress:
    """Parse and check a broker URL and its TLS options; raise :class:`UserError` naming the problem."""
    if not url or "://" not in url:
        raise UserError(f"--mqtt {url!r}: expected mqtt://[user:pass@]host[:port] or mqtts://...")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UserError(f"--mqtt {url!r}: scheme must be mqtt:// or mqtts://, not {parts.scheme}://")
    if not parts.hostname:
        raise UserError(f"--mqtt {url!r}: no host name")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise UserError(f"--mqtt {url!r}: the port must be a number from 1 to 65535") from None
    if parts.path not in ("", "/"):
        raise UserError(f"--mqtt {url!r}: unexpected path {parts.path!r} (use --mqtt-prefix for topics)")
    tls = scheme == "mqtts"
    if not tls and (ca_file or cert_file or key_file):
        raise UserError("--mqtt-ca/--mqtt-cert/--mqtt-key need an mqtts:// URL")
    if key_file and not cert_file:
        raise UserError("--mqtt-key needs --mqtt-cert")
    for flag, path in (("--mqtt-ca", ca_file), ("--mqtt-cert", cert_file), ("--mqtt-key", key_file)):
        if path and not os.path.isfile(path):
            raise UserError(f"{flag} {path}: no such file")
    user = urllib.parse.unquote(parts.username) if parts.username is not None else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return BrokerAddress(parts.hostname, port, tls, user or None, password, ca_file, cert_file, key_file)
