"""Exercise recognition: orientation-free features of a set's span and a small embedded classifier.

Pure numpy/scipy (no I/O, no clock). :func:`recognise` takes the accelerometer samples (g) of one set on a
uniform grid and returns a back exercise (``pullup``, ``lat_pulldown``, ``seated_row``, ``bent_over_row``)
or ``other`` with a confidence 0..1.

The features use only relations between gravity and the motion (dot products, norms, eigenvalues,
periods), so they do not depend on how the sensor is mounted, on the wrist, on the gravity sign
convention (+1 g or -1 g on the up axis) or on the sample rate (the span is low-passed at 2 Hz and
resampled to 25 Hz first). The gyroscope is not used: the engine keeps only the accelerometer per axis,
and half of the development data has no gyro. Chin-ups cannot be told from pull-ups without the grip, so
both are reported as ``pullup``.

The classifier is multinomial logistic regression on standardised features, with non-back movements split
into a few ``other:<family>`` classes and simulated back sets in classes of their own, summed by name
(:func:`decide`). Its parameters below are fitted by ``benchmarks/recognition.py --write`` on the
development recordings plus the simulator (see docs/recognition.md) and must not be edited by hand.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

FS_HZ = 25.0
"""Rate the span is resampled to, Hz."""

LP_HZ = 2.0
"""Low-pass cut-off applied before the features, Hz (gym reps live below it)."""

LABELS: tuple[str, ...] = ("pullup", "lat_pulldown", "seated_row", "bent_over_row", "other")
"""What :func:`recognise` can say."""

MIN_SPAN_S = 3.0
"""Shortest span worth classifying, s."""

FEATURE_NAMES: tuple[str, ...] = (
    "log_dyn_g",  # log10 of the rms dynamic acceleration (acc minus its set mean), g
    "vert_frac",  # share of that dynamic acceleration along gravity, 0..1
    "axis_vert",  # |cos| between gravity and the principal axis of the dynamic acceleration
    "normal_vert",  # |cos| between gravity and the normal of the motion plane (~ rotation axis for tilts)
    "lin1",  # largest eigenvalue share of the dynamic covariance (1 = motion along a line)
    "lin2",  # second eigenvalue share
    "norm_frac",  # variance of |acc| over the dynamic variance (tilt keeps |acc|; linear acc changes it)
    "log_tilt_deg",  # log10 of the 90th percentile angle between acc and mean gravity, deg
    "log_period_s",  # log10 of the dominant period of the principal motion, s
    "periodicity",  # autocorrelation of the principal motion at that period
    "norm_corr",  # |correlation| between |acc| and the principal motion
    "norm_lag",  # lag of the |acc| cross-correlation peak, fraction of the period (-0.5..0.5, sign-free)
    "log_jerk",  # log10 of rms jerk over rms acceleration x period (1/(2 pi) for a sinusoid)
    "drift",  # rms angle change of the per-period mean gravity direction over the tilt amplitude
    "horiz_lin",  # largest eigenvalue share of the horizontal part of the motion
    "harm2",  # power near twice the dominant frequency over power near it
    "skew_vert",  # skewness of the acceleration along gravity (sign-free: +-g conventions agree on it)
    "skew_norm",  # skewness of |acc|
    "tilt_vert_corr",  # correlation between the tilt angle and the acceleration along gravity
    "tilt_norm_corr",  # correlation between the tilt angle and |acc|
    "tilt_cv",  # std of the tilt angle over its mean
    "skew_vvel",  # skewness of the vertical velocity from |acc| (+: the fast phase goes up, as in a press)
    "skew_vpos",  # skewness of the vertical position from |acc| (where the hand dwells)
    "log_vdisp_m",  # log10 rms vertical displacement from |acc|, m (0.15-2 Hz, integrated by FFT)
    "log_hdisp_m",  # log10 rms "displacement" of the horizontal acc, m (mostly tilt: a tilt-size measure)
    "tilt_vpos_corr",  # correlation between the tilt angle and the vertical position
    "tilt_vvel_corr",  # correlation between the tilt angle and the vertical velocity
    "log_tilt_per_m",  # log10 of the tilt std (deg) per vertical displacement std (m)
    "norm_period_ratio",  # dominant period of |acc| over that of the principal motion
)

# --- fitted parameters (written by benchmarks/recognition.py --write) ---
CLASSES: tuple[str, ...] = ('pullup', 'lat_pulldown', 'seated_row', 'bent_over_row', 'pullup:sim', 'lat_pulldown:sim', 'seated_row:sim', 'bent_over_row:sim', 'other:press', 'other:legs', 'other:arms', 'other:misc')
MEAN: tuple[float, ...] = (-0.553034, 0.306271, 0.439455, 0.446068, 0.82932, 0.141857, 0.266524, 1.30705, 0.494365, 0.839111, 0.671243, 0.0619997, 0.99674, 0.116666, 0.897063, 0.184202, -0.33146, 0.12665, -0.472357, -0.132055, 0.532383, 0.00229553, -0.00443045, -0.958915, -0.341593, 0.123068, 0.00855086, 1.74425, 1.03857)
SCALE: tuple[float, ...] = (0.238918, 0.273454, 0.354703, 0.384328, 0.12364, 0.102775, 0.275127, 0.310932, 0.21927, 0.189655, 0.29996, 0.131876, 0.163905, 0.0963198, 0.100104, 0.231234, 0.931507, 0.650525, 0.382808, 0.355574, 0.163201, 0.694426, 0.350629, 0.448289, 0.398536, 0.363696, 0.191708, 0.487987, 0.589935)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.205869, 0.0134022, 0.403824, 0.0275162, -0.257946, 0.58043, -0.229265, 0.22631, 0.191303, -0.12779, -1.22244, 0.0210509, -0.917373, 0.512971, -0.984009, -0.371625, -0.785434, -0.140535, -0.662768, 0.529598, -0.73521, -0.164356, 0.84043, -0.613275, 0.321913, -0.833693, 0.278696, 0.530296, 0.33229),
    (0.651731, -0.0300378, 0.35986, -0.112762, -0.266186, -0.126122, 0.262096, 0.365531, -0.151477, -0.504099, 0.571425, 0.109761, 0.0732415, 0.15507, -1.00433, 0.660546, 0.599142, 0.466959, 1.37569, 1.10017, 0.478031, -1.12418, 0.176032, 1.22255, 0.143984, -0.355702, 0.23256, -0.722991, -0.0334904),
    (0.143356, -0.251437, -0.12982, 0.527407, -0.0405549, 0.840356, -0.553935, 0.872167, -1.10412, -0.35386, 0.469752, -0.233795, 0.692739, 1.06882, 0.82966, 0.074238, -0.30038, 0.131786, 1.12053, 0.0287969, 0.665999, -0.261668, -0.267956, 0.0513627, -0.109559, -0.127429, 0.60822, 0.388723, -0.366881),
    (0.634867, 0.067868, -0.582143, 0.476044, -0.23427, -0.323435, 1.32826, -0.204291, -0.569086, 0.368772, 0.148379, 0.533855, 0.431935, 0.14967, -0.0107827, -0.0272973, -0.265369, -0.307118, -0.959084, -1.79212, 0.403032, 0.651839, -0.513153, -0.037753, -0.545648, -0.768229, -0.0186821, -0.00513074, 0.0192943),
    (-0.637416, -0.165814, -0.18762, -0.489827, 0.828708, -0.884701, -0.110863, -0.444195, 0.112509, 1.00774, -0.514644, 0.462104, -1.29761, -0.638972, 0.775744, -0.248726, -0.0167999, -0.272272, -0.633507, -0.238978, 0.191925, 0.224697, -0.0127596, -1.04495, 0.496449, -0.163918, -0.166511, 0.721158, 0.153008),
    (0.46434, -0.13172, 0.116689, 1.39633, 0.211053, -0.329375, -0.120795, 0.386981, 0.369985, 0.339335, 0.369772, -0.262009, 0.0163774, -0.738721, -0.330393, -0.324278, 0.47726, -0.228486, 0.30053, -0.313251, -1.22276, -0.679282, -0.0910277, 0.666453, -0.00924511, 0.395035, 0.544734, -0.715198, -0.0255885),
    (-0.25566, -0.253145, -0.174218, 0.97475, 0.430703, -0.39753, -0.223119, -0.39305, 0.113859, 0.724783, 0.727661, -0.201824, 0.949445, -0.971352, 0.301302, -0.199046, -0.143337, 0.302015, -0.309562, -0.630638, -0.961366, -0.526521, 0.125653, -0.754189, 0.167747, 0.0217872, -0.183333, 0.324421, -0.144603),
    (-0.761647, -0.180493, 0.0484564, -0.473439, -0.737619, 0.646252, -0.164338, -0.544893, 0.485274, 0.234165, 0.127436, -0.484847, 0.80578, -0.874003, 0.0987447, -0.333443, 0.116771, -0.113127, 0.145665, -0.216062, 0.0310693, 0.719306, 0.428761, -0.192244, -0.716856, 0.201898, 0.300549, -0.12013, 0.0480643),
    (-0.184483, 0.442746, 0.279731, -0.3785, -0.12995, 0.30178, 0.14304, -0.519461, 0.830953, -0.825483, -0.533207, 0.386837, -0.40171, 0.0571851, -0.0367628, 0.493036, 0.889161, 0.514049, 0.0512695, 0.33463, 0.296559, 0.292759, -0.538464, 0.353537, -0.568665, -0.371356, -0.0927195, -0.540289, 0.506094),
    (-0.786091, 0.299455, 0.342681, -0.579323, 0.221507, -0.064083, 0.267039, -0.432435, 0.428086, -0.402346, 0.282615, -0.120219, 0.518717, 0.311273, 0.89853, -0.19199, -0.215303, -0.528355, 0.414689, 0.300883, 0.642122, 0.497547, -0.756862, 0.510359, 0.339389, 0.39739, -0.0134837, -0.742596, -0.00913865),
    (-0.132229, -0.259564, -0.360289, -0.806654, 0.0833592, -0.176164, -0.667396, 0.554971, -0.195761, -0.0218914, -0.624446, -0.744763, -0.538876, 0.449155, -0.0465045, 0.587425, -0.264599, 0.218055, -0.147378, -0.299579, 0.307884, 0.561736, 0.968913, -0.145165, 0.521205, 0.875317, -1.01608, 0.504124, -0.242306),
    (0.657364, 0.448738, -0.117151, -0.561538, -0.108804, -0.0674088, 0.0692742, 0.132367, -0.511528, -0.439322, 0.197695, 0.533849, -0.332667, 0.51891, -0.491203, -0.118841, -0.0911121, -0.0429724, -0.696067, 1.19655, -0.0972794, -0.191878, -0.359566, -0.0166854, -0.0407149, 0.728901, -0.473946, 0.377615, -0.236743),
)
BIAS: tuple[float, ...] = (-2.12135, -1.48688, 2.43829, 1.22434, -3.1829, -0.0909637, -1.67605, -0.308423, 2.07155, -0.247113, 0.744314, 2.63519)
# --- end of fitted parameters ---


def prepare(acc: np.ndarray, rate_hz: float) -> np.ndarray:
    """Low-pass (``LP_HZ``, zero phase) and resample (n, 3) acceleration (g) sampled at ``rate_hz`` to
    ``FS_HZ``; rows with NaN are dropped. Returns (m, 3)."""
    a = np.asarray(acc, dtype=float)
    a = a[np.all(np.isfinite(a), axis=1)]
    if len(a) < 4 or not rate_hz > 0:
        return np.zeros((0, 3))
    if rate_hz > 2.2 * LP_HZ:
        sos = signal.butter(2, LP_HZ, "lowpass", fs=rate_hz, output="sos")
        pad = min(len(a) - 1, int(rate_hz))
        a = signal.sosfiltfilt(sos, a, axis=0, padlen=pad)
    t = np.arange(len(a)) / rate_hz
    tg = np.arange(0.0, t[-1] + 1e-9, 1.0 / FS_HZ)
    return np.column_stack([np.interp(tg, t, a[:, i]) for i in range(3)])


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(n, 1e-12)


def _skew(x: np.ndarray) -> float:
    sd = float(x.std())
    return float(np.clip(np.mean((x - x.mean()) ** 3) / sd ** 3, -5.0, 5.0)) if sd > 0 else 0.0


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    sx, sy = float(x.std()), float(y.std())
    return float(np.mean((x - x.mean()) * (y - y.mean())) / (sx * sy)) if sx > 0 and sy > 0 else 0.0


def _integrate(x: np.ndarray, times: int) -> np.ndarray:
    """Integrate an acceleration (g) ``times`` times in the frequency domain over 0.15-2 Hz: velocity m/s
    (1) or position m (2)."""
    n = len(x)
    f = np.fft.rfftfreq(n, 1.0 / FS_HZ)
    X = np.fft.rfft((x - x.mean()) * 9.80665)
    keep = (f >= 0.15) & (f <= LP_HZ)
    out = np.zeros_like(X)
    out[keep] = X[keep] / (2j * np.pi * f[keep]) ** times
    return np.fft.irfft(out, n)


def _dominant_period(x: np.ndarray) -> tuple[float, float]:
    """Dominant period (s) of a zero-mean signal at ``FS_HZ`` from its autocorrelation, and the
    autocorrelation there (0..1). Periods 0.8-12 s are searched."""
    n = len(x)
    f = np.fft.rfft(x, 2 * n)
    ac = np.fft.irfft(f * np.conj(f))[:n]
    if ac[0] <= 0:
        return 3.0, 0.0
    ac = ac / ac[0] * n / np.maximum(n - np.arange(n), 1)  # unbiased
    lo, hi = int(0.8 * FS_HZ), min(int(12.0 * FS_HZ), n * 2 // 3)
    if hi <= lo + 2:
        return 3.0, 0.0
    seg = ac[lo:hi]
    peaks = np.flatnonzero((seg[1:-1] > seg[:-2]) & (seg[1:-1] >= seg[2:])) + 1
    if len(peaks) == 0:
        k = int(np.argmax(seg))
    else:
        best = float(seg[peaks].max())
        near = peaks[seg[peaks] >= (0.85 * best if best > 0 else best)]
        k = int(near[0])  # first near-best peak, not a multiple of the period
    return (lo + k) / FS_HZ, float(np.clip(seg[k], -1.0, 1.0))


def features(acc: np.ndarray, rate_hz: float) -> np.ndarray | None:
    """The :data:`FEATURE_NAMES` vector of a set's (n, 3) acceleration (g) at ``rate_hz`` Hz, or None if
    the span is too short or still."""
    a = prepare(acc, rate_hz)
    if len(a) < MIN_SPAN_S * FS_HZ:
        return None
    g = a.mean(axis=0)
    if np.linalg.norm(g) < 0.2:
        return None
    gn = g / np.linalg.norm(g)
    dyn = a - g
    cov = np.cov(dyn.T)
    lam, vecs = np.linalg.eigh(cov)
    lam = np.clip(lam, 0.0, None)
    total = float(lam.sum())
    if total < 1e-8:
        return None
    v1, v3 = vecs[:, 2], vecs[:, 0]
    vert = dyn @ gn
    horiz = dyn - np.outer(vert, gn)
    s = dyn @ v1
    norm = np.linalg.norm(a, axis=1)
    nd = norm - norm.mean()
    tilt = np.degrees(np.arccos(np.clip(_unit(a) @ gn, -1.0, 1.0)))
    period, periodicity = _dominant_period(s)
    sd_s, sd_n = float(s.std()), float(nd.std())
    norm_corr = float(abs(np.mean(s * nd)) / (sd_s * sd_n)) if sd_s > 0 and sd_n > 0 else 0.0
    lagmax = max(1, int(round(period * FS_HZ / 2)))
    lags = np.arange(-lagmax, lagmax + 1)
    xc = np.array([np.mean(s[max(0, -k):len(s) - max(0, k)] * nd[max(0, k):len(nd) - max(0, -k)]) for k in lags])
    norm_lag = float(lags[int(np.argmax(np.abs(xc)))] / (period * FS_HZ))
    norm_lag = abs(norm_lag)  # the principal axis sign is arbitrary: keep the size of the lag
    jerk = np.diff(dyn, axis=0) * FS_HZ
    log_jerk = float(np.log10(np.sqrt(np.sum(jerk.var(axis=0))) / np.sqrt(total) * period + 1e-6))
    w = max(1, int(round(period * FS_HZ)))
    kern = np.ones(w) / w
    slow = np.column_stack([np.convolve(a[:, i], kern, mode="valid") for i in range(3)])
    slow_ang = np.degrees(np.arccos(np.clip(_unit(slow) @ gn, -1.0, 1.0)))
    tilt90 = float(np.percentile(tilt, 90))
    drift = float(np.sqrt(np.mean(slow_ang ** 2)) / max(tilt90, 0.5))
    hc = np.cov(horiz.T)
    hl = np.clip(np.linalg.eigvalsh(hc), 0.0, None)
    horiz_lin = float(hl[-1] / hl.sum()) if hl.sum() > 1e-12 else 0.5
    spec = np.abs(np.fft.rfft(s * np.hanning(len(s)))) ** 2
    freqs = np.fft.rfftfreq(len(s), 1.0 / FS_HZ)
    f0 = 1.0 / period
    band = max(0.08, 0.15 * f0)
    p1 = float(spec[np.abs(freqs - f0) <= band].sum())
    p2 = float(spec[np.abs(freqs - 2 * f0) <= band].sum())
    harm2 = p2 / (p1 + p2) if p1 + p2 > 0 else 0.0
    vvel = _integrate(nd, 1)  # |acc| - mean: the vertical linear acceleration (tilt keeps |acc|)
    vpos = _integrate(nd, 2)
    hpos = np.column_stack([_integrate(horiz[:, i], 2) for i in range(3)])
    return np.array([
        np.log10(np.sqrt(total)),
        float(np.var(vert)) / total,
        float(abs(v1 @ gn)),
        float(abs(v3 @ gn)),
        float(lam[2] / total),
        float(lam[1] / total),
        float(min(np.var(nd) / total, 2.0)),
        np.log10(max(tilt90, 0.1)),
        np.log10(period),
        periodicity,
        norm_corr,
        norm_lag,
        log_jerk,
        min(drift, 3.0),
        horiz_lin,
        harm2,
        _skew(vert),
        _skew(nd),
        _corr(tilt, vert),
        _corr(tilt, nd),
        float(tilt.std() / max(tilt.mean(), 0.5)),
        _skew(vvel),
        _skew(vpos),
        np.log10(float(vpos.std()) + 1e-4),
        np.log10(float(np.sqrt(np.sum(hpos.var(axis=0)))) + 1e-4),
        _corr(tilt, vpos),
        _corr(tilt, vvel),
        float(np.log10((tilt.std() + 0.1) / (vpos.std() + 1e-3))),
        _dominant_period(nd)[0] / period,
    ])


Z_CLIP = 4.0
"""Standardised features are clipped to +-Z_CLIP so one odd feature cannot decide alone."""


def probabilities(x: np.ndarray, mean=None, scale=None, weights=None, bias=None) -> np.ndarray:
    """Probabilities of the trained classes (order :data:`CLASSES`) for a feature vector; parameters default
    to the fitted ones."""
    mean = np.asarray(MEAN if mean is None else mean)
    scale = np.asarray(SCALE if scale is None else scale)
    weights = np.asarray(WEIGHTS if weights is None else weights)
    bias = np.asarray(BIAS if bias is None else bias)
    z = np.clip((np.asarray(x, dtype=float) - mean) / scale, -Z_CLIP, Z_CLIP)
    logits = weights @ z + bias
    logits -= logits.max()
    p = np.exp(logits)
    return p / p.sum()


def decide(p: np.ndarray, classes: tuple[str, ...] | None = None) -> tuple[str, float]:
    """Exercise and its probability from trained-class probabilities ``p``: classes are summed by the name
    before the colon (``other:<family>``: presses, legs, arms, misc, as non-back movements are too varied
    for one linear class; ``<exercise>:sim``: the simulator's version of a back exercise)."""
    merged: dict[str, float] = {}
    for name, pk in zip(CLASSES if classes is None else classes, p):
        key = name.split(":", 1)[0]
        merged[key] = merged.get(key, 0.0) + float(pk)
    label = max(merged, key=merged.__getitem__)
    return label, merged[label]


def recognise(acc: np.ndarray, gyro: np.ndarray | None, rate_hz: float) -> tuple[str, float]:
    """Label a set from its samples: ``acc`` (n, 3) g and ``gyro`` (n, 3) deg/s or NaN (unused, see the
    module docstring) on a uniform grid at ``rate_hz`` Hz. Returns (exercise or ``other``, confidence 0..1)."""
    x = features(acc, rate_hz)
    if x is None or not np.all(np.isfinite(x)):
        return "other", 0.0
    return decide(probabilities(x))
