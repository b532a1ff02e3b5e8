"""Sensor profiles: one TOML file per sensor kind in ``firmware_config/``, read at start-up.

A profile says how to find the sensor (name patterns, advertised services), which GATT service and
characteristics to use, which commands start (and stop) streaming at the chosen rate and range, and how
to decode a notification (the protocol ``family`` plus its parameters). A new sensor of an existing
family needs only a new file. Mistakes are reported as one line naming the file and the field.
"""

from __future__ import annotations

import fnmatch
import os
import re
import struct
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repcounter.errors import UserError
from repcounter.sources.ble import uuids

FAMILIES = ("polar_pmd", "movesense", "open_profile")
"""Protocol families with a decoder."""

_TOKEN = re.compile(r"'[^']*'|\{[a-z_][a-z0-9_]*(?::(?:u8|u16|u32|i16))?\}|[0-9a-fA-F]{2}|\S+")
_PACK = {"u8": "<B", "u16": "<H", "u32": "<I", "i16": "<h"}


class ProfileError(UserError):
    """A profile file that cannot be used: names the file and the field."""

    def __init__(self, path: str | Path, where: str, problem: str) -> None:
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")


def default_profiles_dir() -> Path:
    """``$REPCOUNTER_PROFILES`` or the ``firmware_config/`` folder of this checkout."""
    env = os.environ.get("REPCOUNTER_PROFILES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "firmware_config"


@dataclass(frozen=True)
class Command:
    """Bytes written to a characteristic to start or stop streaming."""

    char: str
    data: bytes
    response: bool = True


@dataclass
class Profile:
    """One sensor kind, as read from its file.

    Attributes:
        key: file stem (what ``--profile`` takes).
        name: human name, e.g. "Polar Verity Sense".
        family: protocol family, one of :data:`FAMILIES`.
        name_patterns: shell-style patterns for the advertised name.
        advertised_services: service UUIDs the sensor advertises (any one matches).
        chars: role -> characteristic UUID (``write``, ``notify``, optional ``response``/``config``).
        service: the GATT service UUID holding them.
        battery: read the standard battery level where present.
        stream: rate/range settings (``rate_hz``, ``acc_range_g``, ``gyro_range_dps``, ``gyro`` ...).
        decode: family parameters.
        start, stop: commands in order.
        firmware: board settings (open profile), free-form.
        require_name: the advertised services are generic (e.g. heart rate): the name must match too.
    """

    key: str
    path: str
    name: str
    family: str
    name_patterns: list[str]
    advertised_services: list[str]
    service: str
    chars: dict[str, str]
    battery: bool
    stream: dict[str, Any]
    decode: dict[str, Any]
    start: list[Command] = field(default_factory=list)
    stop: list[Command] = field(default_factory=list)
    firmware: dict[str, Any] = field(default_factory=dict)
    require_name: bool = False

    @property
    def rate_hz(self) -> float:
        """Nominal sample rate (Hz)."""
        return float(self.stream["rate_hz"])

    @property
    def has_gyro(self) -> bool:
        """Whether the profile streams a gyroscope."""
        return bool(self.stream.get("gyro", False))

    def matches(self, name: str | None, service_uuids: list[str] | tuple[str, ...]) -> bool:
        """True if an advertisement (name, service UUIDs) looks like this sensor kind."""
        if name and any(fnmatch.fnmatchcase(name, p) for p in self.name_patterns):
            return True
        adv = {u.lower() for u in service_uuids}
        return bool(adv & set(self.advertised_services)) and not self.require_name

    def make_decoder(self) -> Any:
        """A fresh decoder for one connection."""
        if self.family == "polar_pmd":
            from repcounter.sources.ble.polar_pmd import PmdStreamConfig, PolarPmdDecoder

            acc = PmdStreamConfig(int(self.decode.get("acc_resolution", 16)), float(self.decode.get("acc_factor", 1.0)))
            gyro = PmdStreamConfig(int(self.decode.get("gyro_resolution", 16)),
                                   float(self.decode.get("gyro_factor", 0.06103515625))) if self.has_gyro else None
            return PolarPmdDecoder(acc, gyro)
        if self.family == "movesense":
            from repcounter.sources.ble.movesense import MovesenseDecoder

            return MovesenseDecoder(int(self.decode["ref"]), str(self.decode.get("layout", "imu6")),
                                    str(self.decode.get("acc_unit", "m/s^2")), bool(self.decode.get("split", False)))
        from repcounter.sources.ble.open_profile import OpenProfileDecoder

        return OpenProfileDecoder()

    @property
    def separate_gyro_stream(self) -> bool:
        """The sensor sends acc and gyro in separate frames (Polar) that must be joined."""
        return self.family == "polar_pmd" and self.has_gyro


def render(template: str, values: dict[str, Any]) -> bytes:
    """Bytes from a command template: hex bytes, ``{field:u16}`` numbers, ``'ascii {field}'`` text."""
    out = bytearray()
    for tok in _TOKEN.findall(template):
        if tok.startswith("'"):
            out += tok[1:-1].format(**values).encode("ascii")
        elif tok.startswith("{"):
            name, _, kind = tok[1:-1].partition(":")
            if name not in values:
                raise ValueError(f"unknown field {{{name}}}")
            number = values[name]
            if isinstance(number, bool):
                number = int(number)
            if not isinstance(number, (int, float)) or int(number) != number:
                raise ValueError(f"{{{name}}} is not a whole number")
            try:
                out += struct.pack(_PACK[kind or "u8"], int(number))
            except struct.error:
                raise ValueError(f"{{{name}}} = {number} does not fit {kind or 'u8'}") from None
        elif re.fullmatch(r"[0-9a-fA-F]{2}", tok):
            out.append(int(tok, 16))
        else:
            raise ValueError(f"cannot read {tok!r} (use hex bytes, {{field:u16}} or 'text')")
    return bytes(out)


def _need(table: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path, where: str) -> Any:
    if key not in table:
        raise ProfileError(path, f"{where}.{key}" if where else key, "missing")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ProfileError(path, f"{where}.{key}", f"expected {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def _uuid(value: Any, path: Path, where: str) -> str:
    try:
        return uuids.normalize(str(value))
    except ValueError as exc:
        raise ProfileError(path, where, str(exc)) from None


def parse_profile(data: dict[str, Any], path: Path) -> Profile:
    """Check and build a profile from parsed TOML; raises :class:`ProfileError`."""
    sensor = _need(data, "sensor", dict, path, "")
    name = _need(sensor, "name", str, path, "sensor")
    family = _need(sensor, "family", str, path, "sensor")
    if family not in FAMILIES:
        raise ProfileError(path, "sensor.family", f"unknown family {family!r}; choose one of {', '.join(FAMILIES)}")
    find = _need(data, "find", dict, path, "")
    patterns = find.get("name_patterns", [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ProfileError(path, "find.name_patterns", "expected a list of strings")
    adv = [_uuid(u, path, f"find.advertised_services[{i}]") for i, u in enumerate(find.get("advertised_services", []))]
    if not patterns and not adv:
        raise ProfileError(path, "find", "give name_patterns or advertised_services")
    gatt = _need(data, "gatt", dict, path, "")
    service = _uuid(_need(gatt, "service", str, path, "gatt"), path, "gatt.service")
    chars: dict[str, str] = {}
    for role in ("write", "notify", "response", "config"):
        if role in gatt:
            chars[role] = _uuid(gatt[role], path, f"gatt.{role}")
    if "notify" not in chars:
        raise ProfileError(path, "gatt.notify", "missing (the characteristic that streams samples)")
    stream = _need(data, "stream", dict, path, "")
    rate = _need(stream, "rate_hz", (int, float), path, "stream")
    if rate <= 0 or rate > 2000:
        raise ProfileError(path, "stream.rate_hz", f"must be between 1 and 2000 Hz, got {rate}")
    decode = data.get("decode", {})
    if not isinstance(decode, dict):
        raise ProfileError(path, "decode", "expected a table")
    if family == "movesense":
        ref = _need(decode, "ref", int, path, "decode")
        if not 0 <= ref <= 255:
            raise ProfileError(path, "decode.ref", "must be 0..255")
        if decode.get("layout", "imu6") not in ("imu6", "acc", "gyro"):
            raise ProfileError(path, "decode.layout", "must be imu6, acc or gyro")
    values = {**stream, **decode}
    commands: dict[str, list[Command]] = {"start": [], "stop": []}
    for kind in ("start", "stop"):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise ProfileError(path, kind, "expected [[" + kind + "]] entries")
        for i, entry in enumerate(entries):
            where = f"{kind}[{i}]"
            if not isinstance(entry, dict):
                raise ProfileError(path, where, "expected a table")
            role = entry.get("char", "write")
            if role not in chars:
                raise ProfileError(path, f"{where}.char", f"no characteristic {role!r} in [gatt]")
            template = _need(entry, "bytes", str, path, where)
            try:
                payload = render(template, values)
            except (ValueError, KeyError, IndexError) as exc:
                raise ProfileError(path, f"{where}.bytes", str(exc)) from None
            commands[kind].append(Command(role, payload, bool(entry.get("response", True))))
    firmware = data.get("firmware", {})
    return Profile(key=path.stem, path=str(path), name=name, family=family, name_patterns=list(patterns),
                   advertised_services=adv, service=service, chars=chars, battery=bool(gatt.get("battery", True)),
                   stream=dict(stream), decode=dict(decode), start=commands["start"], stop=commands["stop"],
                   firmware=dict(firmware) if isinstance(firmware, dict) else {},
                   require_name=bool(find.get("require_name", False)))


def load_profile(path: str | Path) -> Profile:
    """Read one profile file (TOML); raises :class:`ProfileError`."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ProfileError(path, "", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, "", f"not valid TOML: {exc}") from None
    return parse_profile(data, path)


def load_profiles(directory: str | Path | None = None) -> dict[str, Profile]:
    """Every ``*.toml`` profile in ``directory`` (default :func:`default_profiles_dir`), by key."""
    directory = Path(directory) if directory else default_profiles_dir()
    if not directory.is_dir():
        raise UserError(f"{directory}: no sensor profile folder (set REPCOUNTER_PROFILES or --profiles)")
    profiles = {p.stem: load_profile(p) for p in sorted(directory.glob("*.toml"))}
    if not profiles:
        raise UserError(f"{directory}: no sensor profiles (*.toml)")
    return profiles
