"""Packet formats, profile files and sample timing: decoders, encoders, loader errors, StreamClock."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from repcounter.errors import UserError
from repcounter.sources.ble import movesense, open_profile, polar_pmd
from repcounter.sources.ble.frames import BadPacket, Frame
from repcounter.sources.ble.profiles import ProfileError, load_profile, load_profiles, render
from repcounter.sources.ble.timing import ClockOrigin, ImuAssembler, StreamClock

REPO = Path(__file__).resolve().parent.parent


# ---- Polar PMD -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed,scale", [(0, 3), (1, 200), (2, 30000), (3, 0)])
def test_polar_delta_round_trip(seed: int, scale: int) -> None:
    rng = np.random.default_rng(seed)
    samples = np.cumsum(rng.integers(-scale, scale + 1, (37, 3)), axis=0)
    samples = np.clip(samples, -32768, 32767)
    payload = polar_pmd.encode_delta_frames(samples, 16, block=8)
    assert np.array_equal(polar_pmd.parse_delta_frames(payload, 3, 16), samples)


def test_polar_delta_known_bytes() -> None:
    # reference (1, -1, 2) as int16, then one block: width 2, 2 samples, deltas (1,0,-1) and (-2,1,0)
    ref = struct.pack("<hhh", 1, -1, 2)
    deltas = [1, 0, -1, -2, 1, 0]
    bits = 0
    for i, d in enumerate(deltas):
        bits |= (d & 0b11) << (2 * i)
    payload = ref + bytes([2, 2]) + bits.to_bytes(2, "little")
    out = polar_pmd.parse_delta_frames(payload, 3, 16)
    assert out.tolist() == [[1, -1, 2], [2, -1, 1], [0, 0, 1]]


@pytest.mark.parametrize("frame_type,width", [(0, 1), (1, 2), (2, 3)])
def test_polar_raw_acc_frames(frame_type: int, width: int) -> None:
    samples = np.array([[12, -100, 127], [-128, 0, 5]]) * (1 if width == 1 else 7)
    frame = polar_pmd.encode_frame(polar_pmd.MEAS_ACC, 123_456_789_000, samples, frame_type)
    dec = polar_pmd.PolarPmdDecoder(polar_pmd.PmdStreamConfig(), None)
    (f,) = dec.decode(frame)
    assert f.stream == "acc" and f.t_last == pytest.approx(123.456789)
    np.testing.assert_allclose(f.values, samples / 1000.0)


def test_polar_gyro_delta_frame_uses_factor() -> None:
    raw = np.array([[100, -200, 300], [110, -190, 290], [90, -210, 310]])
    frame = polar_pmd.encode_frame(polar_pmd.MEAS_GYRO, 5_000_000_000, raw, 0, compressed=True)
    dec = polar_pmd.PolarPmdDecoder(polar_pmd.PmdStreamConfig(), polar_pmd.PmdStreamConfig(16, 0.061))
    (f,) = dec.decode(frame)
    assert f.stream == "gyro"
    np.testing.assert_allclose(f.values, raw * 0.061)


@pytest.mark.parametrize("data", [
    b"", b"\x02\x00", bytes([2]) + bytes(8) + bytes([0x81]) + b"\x01\x00",              # ref truncated
    bytes([2]) + bytes(8) + bytes([0x81]) + bytes(6) + bytes([8, 4]) + bytes(3),        # block truncated
    bytes([2]) + bytes(8) + bytes([0x81]) + bytes(6) + bytes([0, 4]),                   # zero width
    bytes([9]) + bytes(9) + bytes(6),                                                   # unknown measurement
    bytes([2]) + bytes(8) + bytes([1]) + bytes(5),                                      # not whole samples
])
def test_polar_malformed_frames_raise_badpacket(data: bytes) -> None:
    dec = polar_pmd.PolarPmdDecoder(polar_pmd.PmdStreamConfig(), polar_pmd.PmdStreamConfig(16, 0.061))
    with pytest.raises(BadPacket):
        dec.decode(data)


def test_polar_start_command_matches_issue_example() -> None:
    cmd = polar_pmd.start_command(polar_pmd.MEAS_ACC, 52, 16, 8)
    assert cmd.hex(" ") == "02 02 00 01 34 00 01 01 10 00 02 01 08 00"
    assert polar_pmd.parse_start_command(cmd) == (2, {0: 52, 1: 16, 2: 8})


# ---- Movesense ---------------------------------------------------------------------------------------
def test_movesense_imu6_round_trip_and_split() -> None:
    acc = np.array([[0.1, 9.8, -0.2], [0.3, 9.7, 0.0]], dtype=np.float32)
    gyro = np.array([[1.5, -2.5, 3.0], [0.0, 10.0, -10.0]], dtype=np.float32)
    dec = movesense.MovesenseDecoder(99)
    (f,) = dec.decode(movesense.encode_notifications(99, 4_000_000_123, acc, gyro)[0])
    assert f.stream == "imu" and f.t_first == pytest.approx(4_000_000.123)
    np.testing.assert_allclose(f.values[:, :3], acc / 9.80665, rtol=1e-6)
    np.testing.assert_allclose(f.values[:, 3:], gyro, rtol=1e-6)
    first, second = movesense.encode_notifications(99, 10, acc, gyro, split=True)
    dec = movesense.MovesenseDecoder(99, split=True)
    assert dec.decode(first) == []
    (g,) = dec.decode(second)
    np.testing.assert_allclose(g.values, f.values)


@pytest.mark.parametrize("data", [b"\x02", b"\x07\x63abcd", b"\x02\x05" + bytes(28), b"\x03\x63" + bytes(8),
                                  b"\x02\x63\x00\x00", b"\x02\x63" + bytes(4) + struct.pack("<6f", *[float("nan")] * 6)])
def test_movesense_malformed(data: bytes) -> None:
    with pytest.raises(BadPacket):
        movesense.MovesenseDecoder(0x63).decode(data)


# ---- open profile ------------------------------------------------------------------------------------
def test_open_profile_round_trip_quantises_to_range() -> None:
    acc = np.array([[0.5, -1.0, 7.9], [0.0, 0.001, -8.0]])
    gyro = np.array([[100.0, -250.0, 1999.0], [0.5, 0.0, -2000.0]])
    pkt = open_profile.encode_packet(65535, 2**32 - 10, 10_000, acc, gyro, 8, 2000)
    assert len(pkt) == 14 + 2 * 12
    (f,) = open_profile.OpenProfileDecoder().decode(pkt)
    assert f.seq == 65535 and f.interval_s == pytest.approx(0.01) and f.t_first == pytest.approx((2**32 - 10) / 1e6)
    np.testing.assert_allclose(f.values[:, :3], acc, atol=8 / 32768)
    np.testing.assert_allclose(f.values[:, 3:], gyro, atol=2000 / 32768)


@pytest.mark.parametrize("mutate", [lambda p: p[:10], lambda p: p[:-1], lambda p: bytes([2]) + p[1:],
                                    lambda p: p[:11] + bytes([3]) + p[12:], lambda p: p + b"\x00\x00"])
def test_open_profile_malformed(mutate) -> None:
    pkt = open_profile.encode_packet(1, 0, 10_000, np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(BadPacket):
        open_profile.OpenProfileDecoder().decode(mutate(pkt))


def test_open_config_round_trip_and_limits() -> None:
    cfg = open_profile.OpenConfig(200, 16, 1000, 8, True)
    assert open_profile.OpenConfig.decode(cfg.encode()) == cfg
    with pytest.raises(ValueError):
        open_profile.OpenConfig.decode(open_profile.OpenConfig(100, 3).encode())


# ---- profiles ------------------------------------------------------------------------------------------
def test_every_shipped_profile_loads_and_renders_its_commands() -> None:
    profs = load_profiles(REPO / "firmware_config")
    assert {"polar_verity_sense", "movesense", "repcounter_open"} <= set(profs)
    polar = profs["polar_verity_sense"]
    assert polar.start[0].data == polar_pmd.start_command(2, 52, 16, 8)
    assert polar.start[1].data == polar_pmd.start_command(5, 52, 16, 2000)
    ms = profs["movesense"]
    assert ms.start[0].data == b"\x01\x63/Meas/IMU6/52"
    op = profs["repcounter_open"]
    assert open_profile.OpenConfig.decode(op.start[0].data) == open_profile.OpenConfig(100, 8, 2000, 5, True)
    assert op.firmware["device_name"] == "RepSense"
    assert polar.matches("Polar Sense B5C3D72A", []) and not polar.matches("Kitchen Scale", [])


def test_new_sensor_of_a_family_needs_only_a_file(tmp_path: Path) -> None:
    text = (REPO / "firmware_config" / "polar_verity_sense.toml").read_text()
    text = text.replace("gyro = true", "gyro = false").replace('"Polar Sense *", ', "")
    (tmp_path / "polar_h10.toml").write_text(text)
    prof = load_profile(tmp_path / "polar_h10.toml")
    assert prof.key == "polar_h10" and not prof.has_gyro and prof.matches("Polar H10 1234ABCD", [])


@pytest.mark.parametrize("edit,where", [
    (lambda t: t.replace('family = "polar_pmd"', 'family = "garmin"'), "sensor.family"),
    (lambda t: t.replace("rate_hz = 52 ", "rate_hz = -1 "), "stream.rate_hz"),
    (lambda t: t.replace('notify = "polar_pmd_data"', 'notify = "not-a-uuid"'), "gatt.notify"),
    (lambda t: t.replace("{acc_range_g:u16}", "{acc_rang:u16}"), "start[0].bytes"),
    (lambda t: t.replace("[gatt]", "[gatx]"), "gatt"),
    (lambda t: t + "\n[[[broken", ""),
])
def test_profile_errors_name_file_and_field(tmp_path: Path, edit, where: str) -> None:
    text = (REPO / "firmware_config" / "polar_verity_sense.toml").read_text()
    path = tmp_path / "bad.toml"
    path.write_text(edit(text))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    msg = str(info.value)
    assert msg.startswith(str(path)) and where in msg and "\n" not in msg
    assert isinstance(info.value, UserError)


def test_render_template() -> None:
    assert render("01 {ref:u8} '/Meas/IMU6/{rate}'", {"ref": 7, "rate": 104}) == b"\x01\x07/Meas/IMU6/104"
    with pytest.raises(ValueError):
        render("{big:u8}", {"big": 300})
    with pytest.raises(ValueError):
        render("zz", {})


# ---- timing ------------------------------------------------------------------------------------------
def _imu(n: int) -> np.ndarray:
    return np.zeros((n, 6))


def test_clock_uses_device_time_not_arrival_and_counts_seq_gaps() -> None:
    clock = StreamClock(100.0)
    out = []
    for seq in [0, 1, 2, 5, 6]:  # packets 3 and 4 lost
        f = Frame("imu", _imu(5), t_first=1000.0 + seq * 0.05, interval_s=0.01, seq=seq, seq_modulus=65536)
        out.append(clock.place(f, arrival_gap_s=0.0))  # arrival says nothing (burst)
    times = np.concatenate([p.times for p in out])
    assert times[0] == 0.0 and times[-1] == pytest.approx(0.34)
    assert out[3].dropped_packets == 2 and out[3].gap_s == pytest.approx(0.10)
    assert clock.dropped_packets == 2
    assert np.allclose(np.diff(times[:15]), 0.01)


def test_clock_polar_last_sample_timestamps_and_time_gap() -> None:
    clock = StreamClock(52.0)
    dt = 1 / 52.0
    placed = []
    for k in [0, 1, 2, 4]:  # frame 3 lost; Polar has no sequence numbers
        last = 700.0 + (k * 9 + 8) * dt
        placed.append(clock.place(Frame("acc", np.zeros((9, 3)), t_last=last)))
    assert placed[0].times[0] == 0.0
    assert placed[1].times[0] == pytest.approx(9 * dt)
    assert placed[3].dropped_packets == 1
    assert placed[3].times[0] == pytest.approx(36 * dt)


def test_clock_unwraps_counter_and_drops_duplicates() -> None:
    clock = StreamClock(100.0)
    mod = 2**32 / 1e6
    a = clock.place(Frame("imu", _imu(5), t_first=mod - 0.02, interval_s=0.01, time_modulus_s=mod))
    b = clock.place(Frame("imu", _imu(5), t_first=0.03, interval_s=0.01, time_modulus_s=mod))
    assert b.times[0] == pytest.approx(a.times[-1] + 0.01) and b.dropped_packets == 0
    assert clock.place(Frame("imu", _imu(5), t_first=0.03, interval_s=0.01, time_modulus_s=mod)) is None
    assert clock.duplicates == 1


def test_reconnect_gap_is_not_counted_as_lost_packets() -> None:
    clock = StreamClock(100.0)
    clock.place(Frame("imu", _imu(5), t_first=10.0, interval_s=0.01))
    clock.new_link()
    p = clock.place(Frame("imu", _imu(5), t_first=14.05, interval_s=0.01))
    assert p.dropped_packets == 0 and p.times[0] == pytest.approx(4.05) and p.gap_s == pytest.approx(4.0)


def test_sensor_restart_continues_after_real_elapsed_time() -> None:
    clock = StreamClock(100.0)
    clock.place(Frame("imu", _imu(5), t_first=500.0, interval_s=0.01))
    p = clock.place(Frame("imu", _imu(5), t_first=1.0, interval_s=0.01), arrival_gap_s=2.5)
    assert p.times[0] == pytest.approx(0.04 + 2.5)


def test_assembler_joins_acc_and_gyro_on_one_time_axis() -> None:
    origin = ClockOrigin()
    acc_clock, gyro_clock = StreamClock(50.0, origin=origin), StreamClock(50.0, origin=origin)
    asm = ImuAssembler(True, 50.0)
    acc = np.arange(30, dtype=float).reshape(10, 3)
    gyro = -acc
    pa = acc_clock.place(Frame("acc", acc, t_last=100.0 + 9 / 50))
    assert len(asm.add("acc", pa.times, pa.values)) == 0  # waits for its gyro
    pg = gyro_clock.place(Frame("gyro", gyro, t_last=100.0 + 9 / 50))
    rows = asm.add("gyro", pg.times, pg.values)
    assert rows.shape == (10, 7)
    np.testing.assert_allclose(rows[:, 1:4], acc)
    np.testing.assert_allclose(rows[:, 4:7], gyro)
