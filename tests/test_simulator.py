"""The session simulator: determinism, exact truth, physical consistency of the signals, CLI, live source."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from repcounter.cli import main
from repcounter.recording import read_recording
from repcounter.sources.base import SampleBatch, SensorStatus
from repcounter.sources.simulator import (
    SetPlan, SimulatorSource, back_workout_plan, parse_tempo, simulate_session, simulate_set, truth_path,
)

BACK = ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row")


def _ideal(exercise: str, reps: int = 6, wrist: str = "right", rate: float = 200.0, **kw):
    """A noise-free, jitter-free set with a still rest (for physics checks)."""
    return simulate_set(exercise, reps, rate_hz=rate, seed=kw.pop("seed", 3), wrist=wrist, noise=False,
                        jitter=False, fidgets=False, **kw)


def _mask(t: np.ndarray, a: float, b: float) -> np.ndarray:
    return (t >= a) & (t < b)


def _lowpass(x: np.ndarray, n: int) -> np.ndarray:
    """Moving average over n samples per column."""
    k = np.ones(n) / n
    return np.stack([np.convolve(x[:, i], k, mode="same") for i in range(x.shape[1])], -1)


def test_same_seed_same_session_and_different_seed_differs():
    a = simulate_set("lat_pulldown", 5, seed=11)
    b = simulate_set("lat_pulldown", 5, seed=11)
    c = simulate_set("lat_pulldown", 5, seed=12)
    assert np.array_equal(a.samples, b.samples, equal_nan=True)
    assert a.truth == b.truth
    assert a.truth != c.truth
    assert a.samples.shape[1] == 7


@pytest.mark.parametrize("exercise", BACK + ("curl", "press"))
def test_truth_matches_plan_and_is_ordered(exercise):
    plan = [SetPlan(exercise, 7, (2.0, 0.5, 1.0, 0.5), rest_after_s=40, fatigue=0.3, partial_reps=(7,), load_kg=40),
            SetPlan(exercise, 4, (3.0, 0.0, 1.0, 0.0))]
    s = simulate_session(plan, rate_hz=25, seed=5)
    truth = json.loads(json.dumps(s.truth))  # JSON-serialisable as is
    assert [len(x["reps"]) for x in truth["sets"]] == [7, 4]
    assert [x["exercise"] for x in truth["sets"]] == [exercise, exercise]
    assert truth["sets"][0]["tempo"] == "2-0.5-1-0.5" and truth["sets"][1]["tempo"] == "3-0-1-0"
    assert truth["sets"][0]["load_kg"] == 40 and truth["sets"][1]["load_kg"] is None
    m = np.array(truth["mounting"])
    assert np.allclose(m @ m.T, np.eye(3), atol=1e-5) and np.linalg.det(m) == pytest.approx(1.0, abs=1e-5)
    assert truth["gravity_sign"] in (1, -1) and truth["wrist"] in ("left", "right")
    t = s.samples[:, 0]
    for st in truth["sets"]:
        reps = st["reps"]
        assert st["start"] == reps[0]["start"] and st["end"] == reps[-1]["end"]
        assert t[0] <= st["setup_start"] < st["start"] < st["end"] < st["walkaway_end"] <= t[-1] + 0.1
        for r in reps:
            assert r["start"] < r["concentric_end"] <= r["top_end"] < r["eccentric_end"] <= r["end"]
        for r0, r1 in zip(reps, reps[1:]):
            assert r1["start"] == pytest.approx(r0["end"], abs=1e-3)
    assert [r["partial"] for r in truth["sets"][0]["reps"]] == [False] * 6 + [True]
    assert 0.4 <= truth["sets"][0]["reps"][6]["amplitude"] <= 0.6
    # the rest between the sets is the planned one
    assert truth["sets"][1]["start"] - truth["sets"][0]["end"] == pytest.approx(40, abs=0.01)


def test_tempo_durations_follow_plan_with_fatigue():
    s = simulate_set("seated_row", 10, tempo=(3.0, 1.0, 1.0, 0.5), seed=2, fatigue=0.4)
    reps = s.truth["sets"][0]["reps"]
    conc = np.array([r["concentric_end"] - r["start"] for r in reps])
    top = np.array([r["top_end"] - r["concentric_end"] for r in reps])
    ecc = np.array([r["eccentric_end"] - r["top_end"] for r in reps])
    bottom = np.array([r["end"] - r["eccentric_end"] for r in reps])
    assert np.all(np.abs(ecc / 3.0 - 1) <= 0.1001) and np.all(np.abs(bottom / 1.0 - 1) <= 0.1001)
    assert np.all(np.abs(top / 0.5 - 1) <= 0.1001)
    assert conc[0] == pytest.approx(1.0, rel=0.1001)
    assert conc[-2:].mean() / conc[:2].mean() > 1.2  # 40 % fatigue slows the pull clearly


def test_gravity_is_one_g_at_rest_and_points_up_through_the_mounting():
    for sign in (1, -1):
        s = simulate_set("bent_over_row", 3, seed=8, gravity_sign=sign, wrist="right", fidgets=False)
        x = s.samples
        rest = x[_mask(x[:, 0], 0.5, 2.5)]
        acc = rest[:, 1:4].mean(axis=0)
        assert np.linalg.norm(acc) == pytest.approx(1.0, abs=0.03)
        assert 0.005 < rest[:, 1:4].std(axis=0).mean() < 0.03  # sensor noise ~0.01-0.02 g
        # back into the forearm frame: the arm hangs, the forearm axis (elbow -> wrist) points down, so the
        # specific force (+1 g up) has a component of about -1 along it
        f_body = sign * np.array(s.truth["mounting"]) @ acc
        assert f_body[0] < -0.95


@pytest.mark.parametrize("wrist", ["left", "right"])
@pytest.mark.parametrize("exercise", ["pullup", "chinup", "seated_row", "curl"])
def test_gyro_integration_predicts_gravity_direction(exercise, wrist):
    """Accelerometer and gyro come from one motion: integrating the gyro over a concentric phase rotates
    the start gravity direction into the end one (including the mirroring for the left wrist)."""
    s = _ideal(exercise, 3, wrist=wrist, seed=4)
    x = s.samples
    t = x[:, 0]
    grav = _lowpass(x[:, 1:4], 21)
    for r in s.truth["sets"][0]["reps"]:
        i0 = int(np.searchsorted(t, r["start"] - 0.05))
        i1 = int(np.searchsorted(t, r["top_end"]))
        rot = np.eye(3)
        for k in range(i0, i1):
            w = np.radians(x[k, 4:7]) * (t[k + 1] - t[k])
            ang = np.linalg.norm(w)
            if ang > 0:
                kx = np.array([[0, -w[2], w[1]], [w[2], 0, -w[0]], [-w[1], w[0], 0]]) / ang
                rot = rot @ (np.eye(3) + math.sin(ang) * kx + (1 - math.cos(ang)) * kx @ kx)
        g0, g1 = grav[i0] / np.linalg.norm(grav[i0]), grav[i1] / np.linalg.norm(grav[i1])
        predicted = rot.T @ g0
        moved = math.degrees(math.acos(np.clip(g0 @ g1, -1, 1)))
        error = math.degrees(math.acos(np.clip(predicted @ g1, -1, 1)))
        assert moved > 8.0
        assert error < 0.25 * moved + 2.0


@pytest.mark.parametrize("seed", [6, 7])
@pytest.mark.parametrize("exercise", BACK)
def test_forearm_moves_in_reps_and_rests_in_pauses(exercise, seed):
    """The forearm turns (gravity direction, gyro) during the pull and is nearly still in the pauses."""
    s = _ideal(exercise, 5, tempo=(2.0, 1.5, 1.0, 1.0), seed=seed)
    x = s.samples
    t = x[:, 0]
    gyro = np.linalg.norm(x[:, 4:7], axis=1)
    grav = _lowpass(x[:, 1:4], 41)
    grav /= np.linalg.norm(grav, axis=1, keepdims=True)
    lin = np.linalg.norm(_lowpass(x[:, 1:4], 5), axis=1) - 1.0

    def turned(a: float, b: float) -> float:
        i, j = np.searchsorted(t, a), np.searchsorted(t, b)
        return math.degrees(math.acos(np.clip(grav[i] @ grav[j], -1, 1)))

    pulls, pauses, gyro_pull, gyro_pause, acc_pull, acc_pause = [], [], [], [], [], []
    regrips = s.truth["sets"][0]["regrips"]
    for r in s.truth["sets"][0]["reps"]:
        pulls.append(turned(r["start"], r["concentric_end"]))
        if any(r["eccentric_end"] < a < r["end"] for a, _ in regrips):
            continue  # the lifter shifted the grip in this pause (tested below)
        pauses.append(turned(r["eccentric_end"] + 0.3, r["end"] - 0.3))
        m = _mask(t, r["start"] + 0.1, r["concentric_end"] - 0.1)
        p = _mask(t, r["eccentric_end"] + 0.3, r["end"] - 0.3)
        gyro_pull.append(gyro[m].mean())
        gyro_pause.append(gyro[p].mean())
        acc_pull.append(np.abs(lin[m]).max())
        acc_pause.append(np.abs(lin[p]).max())
    assert np.mean(gyro_pull) > 15.0
    assert np.mean(gyro_pause) < 0.5 * np.mean(gyro_pull)
    assert max(pauses) < max(4.0, 0.25 * np.mean(pulls))  # hand micro-motion, body sway on the bar
    assert np.mean(acc_pause) < 0.04
    if exercise in ("pullup", "chinup"):  # the forearm tilts about the grip
        assert min(pulls) > 12.0
    if exercise in ("lat_pulldown", "bent_over_row"):  # the wrist travels ~0.4 m: clear linear acceleration
        assert np.mean(acc_pull) > 2 * np.mean(acc_pause) and np.mean(acc_pull) > 0.08


def test_regrips_happen_in_bottom_pauses_only():
    s = _ideal("lat_pulldown", 6, tempo=(2.0, 1.5, 1.0, 0.0), seed=2, regrip_prob=1.0)
    st = s.truth["sets"][0]
    reps, regrips = st["reps"], st["regrips"]
    assert len(regrips) == 5  # every bottom pause but the last rep's
    x = s.samples
    gyro = np.linalg.norm(x[:, 4:7], axis=1)
    for (a, b), r in zip(regrips, reps):
        assert r["eccentric_end"] < a < b < r["end"]
        assert gyro[_mask(x[:, 0], a + 0.1 * (b - a), b - 0.1 * (b - a))].mean() > 10.0
    quiet = _ideal("lat_pulldown", 6, tempo=(2.0, 1.5, 1.0, 0.0), seed=2, regrip_prob=0.0)
    assert quiet.truth["sets"][0]["regrips"] == []


def test_partial_rep_has_smaller_range():
    s = _ideal("chinup", 6, partial_reps=(4,), seed=9)
    x = s.samples
    t = x[:, 0]
    grav = _lowpass(x[:, 1:4], 21)
    grav /= np.linalg.norm(grav, axis=1, keepdims=True)
    ranges = []
    for r in s.truth["sets"][0]["reps"]:
        a = grav[np.searchsorted(t, r["start"])]
        b = grav[np.searchsorted(t, r["concentric_end"])]
        ranges.append(math.degrees(math.acos(np.clip(a @ b, -1, 1))))
    full = np.median([v for i, v in enumerate(ranges) if i != 3])
    assert 0.3 * full < ranges[3] < 0.7 * full


def test_walk_away_has_steps_and_shaking():
    s = simulate_set("lat_pulldown", 4, seed=1, rate_hz=100)
    x = s.samples
    st = s.truth["sets"][0]
    lin = np.linalg.norm(x[:, 1:4], axis=1) - 1.0
    after = lin[_mask(x[:, 0], st["end"] + 1.5, st["walkaway_end"] - 0.5)]
    last = st["reps"][-1]
    pause = lin[_mask(x[:, 0], last["eccentric_end"] + 0.2, last["end"] - 0.2)]
    assert after.std() > 4 * pause.std()


@pytest.mark.parametrize("rate", [12.5, 50.0, 200.0])
def test_rates_jitter_and_monotonic_time(rate):
    s = simulate_set("pullup", 3, rate_hz=rate, seed=2)
    t = s.samples[:, 0]
    dt = np.diff(t)
    assert np.all(dt >= 0)
    assert np.median(dt) == pytest.approx(1 / rate, rel=0.05)
    assert dt.std() > 0.01 / rate  # jittered
    assert s.truth["rate_hz"] == rate
    assert np.isfinite(s.samples).all()


def test_acc_only_and_drops():
    s = simulate_set("seated_row", 4, seed=3, acc_only=True, drops=True, rate_hz=50)
    x = s.samples
    assert np.isnan(x[:, 4:7]).all() and np.isfinite(x[:, :4]).all()
    gaps = s.truth["gaps"]
    dt = np.diff(x[:, 0])
    assert len(gaps) >= 1
    assert (dt > 0.05).sum() >= len(gaps) - 1  # every gap shows in t (adjacent-packet gaps may merge)
    for a, b in gaps:
        assert not _mask(x[:, 0], a + 0.011, b - 0.011).any()


def test_time_origin_shifts_samples_and_truth():
    a = simulate_set("pullup", 3, seed=5, drops=True)
    b = simulate_set("pullup", 3, seed=5, drops=True, t0=1000.0)
    assert np.allclose(b.samples[:, 0] - 1000.0, a.samples[:, 0], atol=1e-6)
    assert np.array_equal(a.samples[:, 1:], b.samples[:, 1:], equal_nan=True)
    ra, rb = a.truth["sets"][0], b.truth["sets"][0]
    assert rb["setup_start"] == pytest.approx(ra["setup_start"] + 1000) and rb["end"] == pytest.approx(ra["end"] + 1000)
    assert [r["eccentric_end"] - 1000 for r in rb["reps"]] == pytest.approx([r["eccentric_end"] for r in ra["reps"]])
    assert [g[0] - 1000 for g in b.truth["gaps"]] == pytest.approx([g[0] for g in a.truth["gaps"]])


def test_left_and_right_wrist_differ():
    left = simulate_set("lat_pulldown", 3, seed=4, wrist="left")
    right = simulate_set("lat_pulldown", 3, seed=4, wrist="right")
    assert left.truth["wrist"] == "left" and right.truth["wrist"] == "right"
    assert not np.allclose(left.samples[:, 4:7], right.samples[:, 4:7], atol=5)


def test_bad_parameters_raise_value_error():
    with pytest.raises(ValueError, match="unknown exercise"):
        SetPlan("deadlift", 5)
    with pytest.raises(ValueError, match="reps"):
        SetPlan("pullup", 0)
    with pytest.raises(ValueError, match="partial"):
        SetPlan("pullup", 5, partial_reps=(6,))
    with pytest.raises(ValueError, match="rate"):
        simulate_set("pullup", 3, rate_hz=1.0)
    with pytest.raises(ValueError, match="tempo"):
        parse_tempo("3-1-1")
    with pytest.raises(ValueError, match="tempo"):
        parse_tempo("3-x-1-0")
    assert parse_tempo("3-1-1.5-0") == (3.0, 1.0, 1.5, 0.0)


def test_back_workout_plan():
    plan = back_workout_plan(seed=1, rest_s=15.0)
    assert plan[0].exercise == "lat_pulldown" and plan[0].load_kg is not None and plan[0].load_kg <= 30
    names = [p.exercise for p in plan[1:]]
    for ex in ("pullup", "lat_pulldown", "seated_row", "bent_over_row"):
        assert 2 <= names.count(ex) <= 3
    assert names == sorted(names, key=["pullup", "lat_pulldown", "seated_row", "bent_over_row"].index)
    assert all(p.rest_after_s == 15.0 for p in plan)
    assert all(p.fatigue > 0 for p in plan[1:])
    many = [p for seed in range(8) for p in back_workout_plan(seed)]
    assert any(p.partial_reps for p in many)
    assert all(60 <= p.rest_after_s <= 120 for p in many)
    s = simulate_session(plan, rate_hz=12.5, seed=1)
    assert len(s.truth["sets"]) == len(plan)
    assert s.total_reps == sum(p.reps for p in plan)


def test_cli_writes_recording_and_truth(tmp_path, capsys):
    out = tmp_path / "sets" / "pull.csv"
    code = main(["simulate", "--exercise", "pull-up", "--reps", "6", "--sets", "2", "--rest", "30",
                 "--tempo", "3-1-1-0", "--rate", "25", "--seed", "7", "--wrist", "left", "--acc-only",
                 "--partial", "6", "-o", str(out)])
    assert code == 0
    rec = read_recording(out)
    assert rec.sample_rate_hz == pytest.approx(25, rel=0.05)
    assert not rec.has_gyro
    assert rec.meta["source"] == "repcounter simulate"
    truth = json.loads(truth_path(out).read_text())
    assert truth_path(out).name == "pull.csv.truth.json"
    assert truth["wrist"] == "left" and truth["rate_hz"] == 25
    assert [len(s["reps"]) for s in truth["sets"]] == [6, 6]
    assert all(s["tempo"] == "3-1-1-0" and s["reps"][5]["partial"] for s in truth["sets"])
    assert rec.samples[0, 0] <= truth["sets"][0]["start"] and truth["sets"][1]["end"] < rec.samples[-1, 0]
    assert str(out) in capsys.readouterr().out


def test_cli_workout(tmp_path):
    out = tmp_path / "w.csv"
    assert main(["simulate", "--workout", "--rest", "20", "--rate", "12.5", "-o", str(out)]) == 0
    truth = json.loads(truth_path(out).read_text())
    assert len(truth["sets"]) >= 9
    assert read_recording(out).duration_s == pytest.approx(truth["duration_s"], abs=0.2)


@pytest.mark.parametrize("argv, words", [
    (["--exercise", "deadlift", "--reps", "5"], "unknown exercise"),
    (["--exercise", "pullup", "--reps", "0"], "--reps"),
    (["--exercise", "pullup"], "--reps is required"),
    (["--reps", "5"], "--exercise is required"),
    (["--exercise", "pullup", "--reps", "5", "--tempo", "3-1-1"], "tempo"),
    (["--exercise", "pullup", "--reps", "5", "--rate", "0.5"], "--rate"),
    (["--exercise", "pullup", "--reps", "5", "--partial", "9"], "--partial"),
    (["--exercise", "pullup", "--reps", "5", "--partial", "x"], "--partial"),
    (["--workout", "--exercise", "pullup"], "--workout"),
])
def test_cli_bad_arguments_one_line_exit_2(tmp_path, capsys, argv, words):
    out = tmp_path / "x.csv"
    assert main(["simulate", *argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and "Traceback" not in err
    assert not out.exists()


def test_cli_output_is_a_directory(tmp_path, capsys):
    assert main(["simulate", "--exercise", "row", "--reps", "3", "-o", str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err


async def test_simulator_source_streams_the_session():
    session = simulate_set("bent_over_row", 3, seed=5, drops=True, rate_hz=50)
    source = SimulatorSource(session=session, sensor_id="sim", speed=0)
    items = [item async for item in source.stream()]
    assert isinstance(items[0], SensorStatus) and items[0].state == "online"
    assert isinstance(items[-1], SensorStatus) and items[-1].state == "offline"
    batches = [i for i in items if isinstance(i, SampleBatch)]
    assert all(b.sensor_id == "sim" for b in batches)
    assert np.array_equal(np.concatenate([b.samples for b in batches]), session.samples, equal_nan=True)
    assert source.truth is session.truth


async def test_simulator_source_default_plan_is_the_back_workout():
    source = SimulatorSource(seed=2, rate_hz=12.5, speed=0)
    assert [s["exercise"] for s in source.truth["sets"]][:2] == ["lat_pulldown", "pullup"]
    assert len(source.truth["sets"]) == len(back_workout_plan(2))


def test_motion_is_smooth_everywhere():
    """Segments and perturbations join without jumps: a noise-free 200 Hz session has no spikes."""
    plan = back_workout_plan(seed=4, rest_s=30.0)[:4] + [SetPlan("curl", 5, rest_after_s=20), SetPlan("press", 5)]
    s = simulate_session(plan, rate_hz=200, seed=4, noise=False, jitter=False)
    x = s.samples
    assert np.linalg.norm(x[:, 1:4], axis=1).max() < 4.0
    assert np.abs(np.diff(x[:, 1:4], axis=0)).max() < 0.6  # g per 5 ms (shaking the arms out reaches ~0.3)
    assert np.abs(np.diff(x[:, 4:7], axis=0)).max() < 120  # deg/s per 5 ms
