"""The BLE gateway against an emulated BlueZ: unmodified bleak scans, connects, subscribes and reconnects.

Each test starts a private dbus-daemon and serves ``org.bluez`` with dbus-fast (tests/fake_bluez); the
emulated sensors stream sessions encoded in their own packet formats on their own clocks.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from ble_harness import Collect, emulated_bluez, profiles, quantised
from fake_bluez import Behaviour, MovesenseSensor, OpenSensor, PolarSensor, ScaleSensor, simulated_or_synthetic, synthetic_set
from repcounter.engine.engine import analyze_samples
from repcounter.pipeline import Pipeline
from repcounter.sources.ble import uuids
from repcounter.sources.ble.scanner import scan
from repcounter.sources.ble.source import BleSource

pytestmark = pytest.mark.services


async def run_gateway(sensor_names: list[str], offline_after_s: float = 2.0, scan_timeout: float = 5.0,
                      timeout_s: float = 120.0) -> tuple[Collect, BleSource]:
    profs = list(profiles().values())
    found = await scan(profs, scan_timeout, stop_when=sensor_names)
    chosen = [next(f for f in found if f.name == n) for n in sensor_names]
    source = BleSource(chosen, offline_after_s=offline_after_s, stall_after_s=3.0)
    sink = Collect()
    await asyncio.wait_for(Pipeline(source, [sink]).run(), timeout_s)
    return sink, source


async def test_scan_finds_only_matching_sensors_with_profile_and_rssi() -> None:
    sensors = [PolarSensor("Polar Sense B5C3D72A", "A0:9E:1A:00:00:01", synthetic_set(2), 52),
               MovesenseSensor("Movesense 2245", "0C:8C:DC:00:00:02", synthetic_set(2), 52),
               OpenSensor("RepSense 7F01", "C0:FF:EE:00:00:03", synthetic_set(2, 100), 100),
               ScaleSensor("Kitchen Scale", "C0:FF:EE:00:00:09", synthetic_set(1), 52),
               ScaleSensor("Garmin HRM-Dual", "C0:FF:EE:00:00:0A", synthetic_set(1), 52,
                           advertised=[uuids.HEART_RATE_SERVICE])]
    async with emulated_bluez(sensors) as fb:
        found = await scan(list(profiles().values()), 1.5)
        # the scan asked BlueZ to filter by the profiles' services (the HR strap passes that filter)
        assert set(fb.adapter.filters_seen[0]["UUIDs"]) == {uuids.HEART_RATE_SERVICE, uuids.POLAR_PMD_SERVICE,
                                                    uuids.MOVESENSE_SENSORDATA_SERVICE, uuids.OPEN_SERVICE}
    by_name = {f.name: f for f in found}
    assert set(by_name) == {"Polar Sense B5C3D72A", "Movesense 2245", "RepSense 7F01"}
    assert by_name["Polar Sense B5C3D72A"].profile.key == "polar_verity_sense"
    assert by_name["Movesense 2245"].profile.key == "movesense"
    assert by_name["RepSense 7F01"].address == "C0:FF:EE:00:00:03"
    assert all(-80 < f.rssi < -40 for f in found)
    assert [f.rssi for f in found] == sorted((f.rssi for f in found), reverse=True)


async def test_every_profile_streams_losslessly_and_counts_match_analyze() -> None:
    """Three sensors of three protocol families on one adapter, at once."""
    sensors = [PolarSensor("Polar Sense B5C3D72A", "A0:9E:1A:00:00:01", simulated_or_synthetic("pullup", 5, 52, 3), 52),
               MovesenseSensor("Movesense 2245", "0C:8C:DC:00:00:02",
                               simulated_or_synthetic("seated_row", 5, 52, 4), 52),
               OpenSensor("RepSense 7F01", "C0:FF:EE:00:00:03", simulated_or_synthetic("lat_pulldown", 5, 100, 5), 100)]
    async with emulated_bluez(sensors):
        sink, source = await run_gateway([s.name for s in sensors])
    for sensor in sensors:
        assert sensor.bad_commands == [], sensor.bad_commands  # the profile's start commands were accepted
        expected = quantised(sensor)
        got = sink.rows(sensor.name)
        assert got.shape == expected.shape, sensor.name
        np.testing.assert_allclose(got[:, 0], expected[:, 0], atol=1e-3, err_msg=sensor.name)
        np.testing.assert_allclose(got[:, 1:], expected[:, 1:], atol=1e-6, err_msg=sensor.name)
        runner = next(r for r in source.runners if r.sensor_id == sensor.name)
        assert runner.dropped_packets == 0 and runner.bad_packets == 0
        assert runner.battery == 87
        live = sink.sets(sensor.name)
        # the engine offline on exactly the samples the gateway delivered (they match the file to the device
        # clock's tick, 1 ms, checked above; a sub-ms shift can move a movement start by one 40 ms grid step)
        offline = analyze_samples(got).sets
        assert [s.rep_count for s in live] == [s.rep_count for s in offline], sensor.name
        assert len(live) >= 1
        # device clocks tick in whole ms (Movesense) or ns (Polar): set times agree to a few ms
        np.testing.assert_allclose([s.start for s in live], [s.start for s in offline], atol=0.01)
        assert sink.states(sensor.name) == ["connecting", "online", "dropout", "offline"]


async def test_dropped_and_malformed_packets_are_counted_and_leave_honest_gaps() -> None:
    session = synthetic_set(2, 52, rest_s=1.0)
    session100 = synthetic_set(2, 100, rest_s=1.0)
    lost = {6, 7, 20}
    sensors = [PolarSensor("Polar Sense 0000AAAA", "A0:9E:1A:00:00:0A", session, 52,
                           Behaviour(drop_packets=lost, garbage_every=5)),
               MovesenseSensor("Movesense 0001", "0C:8C:DC:00:00:0B", session, 52,
                               Behaviour(drop_packets=lost, garbage_every=7)),
               OpenSensor("RepSense 0002", "C0:FF:EE:00:00:0C", session100, 100,
                          Behaviour(drop_packets=lost, garbage_every=3))]
    async with emulated_bluez(sensors):
        sink, source = await run_gateway([s.name for s in sensors])
    for sensor in sensors:
        runner = next(r for r in source.runners if r.sensor_id == sensor.name)
        assert runner.bad_packets == sensor.sent_garbage > 0, sensor.name
        assert runner.dropped_packets == len(lost), sensor.name
        got = sink.rows(sensor.name)
        assert len(got) == len(sensor.samples) - len(lost) * sensor.spp
        dt = np.diff(got[:, 0])
        gaps = dt[dt > 1.5 / sensor.rate_hz]
        # packets 6+7 are one gap of two packets, 20 another of one packet
        np.testing.assert_allclose(sorted(gaps), sorted([(2 * sensor.spp + 1) / sensor.rate_hz,
                                                         (sensor.spp + 1) / sensor.rate_hz]), atol=1e-3)
        last = [s for s in sink.statuses if s.sensor_id == sensor.name][-1]
        assert last.state == "offline" and last.dropped_packets == len(lost) and last.bad_packets == sensor.sent_garbage


async def test_three_second_dropout_mid_set_reconnects_and_set_continues() -> None:
    session = simulated_or_synthetic("pullup", 8, 52, 7)
    # drop out in the middle of the set the engine finds in this session
    offline_sets = analyze_samples(PolarSensor.quantise(session - [session[0, 0], 0, 0, 0, 0, 0, 0])).sets
    longest = max(offline_sets, key=lambda s: s.end - s.start)
    mid = (longest.start + longest.end) / 2
    polar = PolarSensor("Polar Sense 3S", "A0:9E:1A:00:00:21", session, 52, Behaviour(dropouts=[(mid, 3.0)]))
    # a second sensor on the same adapter vanishes mid-set and never comes back
    gone = OpenSensor("RepSense GONE", "C0:FF:EE:00:00:22", synthetic_set(6, 100, rest_s=2.0), 100,
                      Behaviour(dropouts=[(9.0, 1000.0)]))
    async with emulated_bluez([polar, gone]):
        sink, source = await run_gateway([polar.name, gone.name], offline_after_s=6.0)
    runner = next(r for r in source.runners if r.sensor_id == polar.name)
    states = sink.states(polar.name)
    assert states[:5] == ["connecting", "online", "dropout", "online", "dropout"], states
    assert states.count("offline") == 1 and states[-1] == "offline"
    assert runner.reconnects == 1 and 3.0 <= runner.downtimes[0] < 8.0
    back = [s for s in sink.statuses if s.sensor_id == polar.name and s.state == "online"][1]
    assert "back after" in back.message and back.extra["downtime_s"] >= 3.0
    got = sink.rows(polar.name)
    dt = np.diff(got[:, 0])
    assert dt.max() >= 3.0 and (dt > 0.1).sum() == 1  # one honest gap, no squeezed time
    assert polar.connects == 2
    # the set spans the dropout: the same sets as analyzing what was received
    live = [s.rep_count for s in sink.sets(polar.name)]
    assert live == [s.rep_count for s in analyze_samples(got).sets]
    gap_start = got[np.argmax(dt), 0]
    continued = any(s.start < gap_start < s.end for s in sink.sets(polar.name))
    # the vanished sensor: dropout, then offline after the timeout, and its set was closed before that
    gstates = sink.states(gone.name)
    assert gstates == ["connecting", "online", "dropout", "offline"], gstates
    offline_at = [s.at for s in sink.statuses if s.sensor_id == gone.name and s.state == "offline"][0]
    lost_at = [s.at for s in sink.statuses if s.sensor_id == gone.name and s.state == "dropout"][0]
    assert 6.0 <= offline_at - lost_at < 12.0
    assert len(sink.rows(gone.name)) > 0
    # a dropout shorter than 5 s is not rest: the set goes on across the gap
    assert continued, (f"a {dt.max():.1f} s gap mid-set split/lost the set "
                       f"(sets {[(s.rep_count, round(s.start, 1), round(s.end, 1)) for s in sink.sets(polar.name)]})")


async def test_sensor_that_stays_connected_but_goes_silent_ends_offline() -> None:
    quiet = OpenSensor("RepSense QUIET", "C0:FF:EE:00:00:41", synthetic_set(1, 100, rest_s=1.0), 100,
                       Behaviour(vanish_at_end=False))
    async with emulated_bluez([quiet]):
        profs = list(profiles().values())
        found = await scan(profs, 5.0, stop_when=[quiet.name])
        source = BleSource(found, offline_after_s=4.0, stall_after_s=1.5)
        sink = Collect()
        await asyncio.wait_for(Pipeline(source, [sink]).run(), 60)
    states = sink.states(quiet.name)
    assert states[:3] == ["connecting", "online", "dropout"] and states[-1] == "offline", states
    assert "stalled" in [s for s in sink.statuses if s.state == "dropout"][0].message
    assert quiet.connects >= 2  # it tried to get the stream back before giving up
    assert len(sink.rows(quiet.name)) == len(quiet.samples)


async def test_sensor_refusing_the_profile_settings_goes_offline_naming_the_file() -> None:
    wrong_rate = PolarSensor("Polar Sense 104HZ", "A0:9E:1A:00:00:51", synthetic_set(2, 104), 104)
    async with emulated_bluez([wrong_rate]):
        sink, _source = await run_gateway([wrong_rate.name], offline_after_s=5.0, timeout_s=30)
    last = sink.statuses[-1]
    assert last.state == "offline" and "refused" in last.message and "polar_verity_sense.toml" in last.message
    assert wrong_rate.bad_commands  # it really was sent the profile's (52 Hz) start command
