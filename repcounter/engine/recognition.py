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

from functools import lru_cache

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
CLASSES: tuple[str, ...] = ('pullup', 'lat_pulldown', 'seated_row', 'bent_over_row', 'pullup:sim', 'lat_pulldown:sim', 'seated_row:sim', 'bent_over_row:sim', 'other:press', 'other:legs', 'other:arms', 'other:misc', 'other:sim')
MEAN: tuple[float, ...] = (-0.623401, 0.209546, 0.342348, 0.626442, 0.831088, 0.139599, 0.177371, 1.25434, 0.552867, 0.847463, 0.599765, 0.0608536, 1.0127, 0.10528, 0.90617, 0.155612, -0.745092, -0.141678, -0.517228, -0.151014, 0.499866, -0.240782, 0.115239, -1.09995, -0.254868, 0.154465, 0.0366286, 1.81724, 1.07079)
SCALE: tuple[float, ...] = (0.198437, 0.233613, 0.322827, 0.380671, 0.13495, 0.112678, 0.228676, 0.243689, 0.172221, 0.191773, 0.290745, 0.127596, 0.15737, 0.0890093, 0.0787362, 0.187683, 1.40485, 1.08912, 0.328007, 0.291464, 0.169221, 0.750868, 0.39243, 0.458589, 0.364822, 0.304563, 0.237806, 0.457561, 0.55371)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.00387492, -0.0856545, 0.474929, 0.278104, 0.124904, 0.197542, -0.119539, 0.10172, 0.167208, -1.04556, -1.18192, -0.179753, -0.747289, 0.914712, -1.23934, 0.0407978, -0.617698, -0.59233, -0.640352, 0.960313, -1.81149, 0.139737, 0.664665, -0.981101, 0.377135, -0.635212, 0.696538, 0.568099, 0.511056),
    (1.14743, -0.628703, 0.296382, -0.0849667, -0.419017, -0.0152944, 0.239808, 0.644285, -0.576916, -0.721433, 0.93077, 0.0499974, 0.331745, -0.101959, -1.74675, 0.75695, 0.638445, 0.685413, 1.98221, 1.6148, 0.338235, -1.76829, 0.672182, 1.71004, -0.0338297, 0.433816, 0.364061, -1.09295, -0.145706),
    (-0.37922, -0.532048, -0.437418, 0.886335, -0.0870287, 0.675238, 0.298798, 1.28572, -1.3207, -0.300224, 0.477488, -0.762906, 1.44958, 0.780544, 0.366748, -0.108991, -0.375641, -0.0950535, 1.14842, 0.285998, 0.565988, -0.268537, -0.0692455, 0.134058, -0.198562, 0.395265, 0.420769, 0.348641, -0.397159),
    (1.16855, -0.160452, -1.30932, 0.854147, -0.291412, -0.63289, 2.38166, -0.576953, -0.460223, 0.881922, 0.231752, 0.690973, 0.720887, -0.360011, -0.136066, -0.527669, -0.100863, -0.267456, -1.2796, -2.72493, 0.163366, 1.28425, -0.983857, -0.13844, -0.722604, -1.6249, -0.0829866, 0.00448661, -0.0561933),
    (-0.324705, -0.236854, -0.581497, -0.337844, 0.711087, -0.669463, -0.165119, -0.771672, 0.837143, 1.34073, -0.649369, 0.668888, -1.3096, 0.303669, 1.07983, 0.242031, -0.539213, -0.703143, -1.23752, -0.607541, 0.00522354, 0.491882, -0.300474, -0.926557, 0.835018, 0.0165096, -0.412107, 0.795912, -0.20154),
    (0.409481, 0.420341, 0.789714, 1.12023, -0.0704722, 0.226571, -1.98205, -0.0694117, 0.399252, 0.259417, -0.470283, 0.0708465, -0.743363, 0.14953, 0.633769, -0.199486, 0.824653, -0.0449798, -0.217143, 0.00604227, -0.610638, -2.51863, 0.883165, 0.689658, 0.0179917, -0.00590421, 0.255367, -1.00564, -0.33338),
    (-0.181358, 0.10883, 0.964121, 0.960521, 0.641424, -0.805936, -0.562446, -0.19419, 0.742401, 0.896246, 0.921947, 0.0939273, -0.123291, 0.0619306, 0.0419494, 0.340056, -1.54751, 0.525264, -1.19581, -0.525399, -0.294003, -1.4264, -0.0470701, -1.13528, 0.17533, -0.0398061, -0.645561, 0.927405, -0.3775),
    (-0.861723, -0.376384, -0.206628, -0.821414, -1.14548, 0.85012, -0.299896, -0.466473, 0.152953, -0.07028, 0.198665, -0.341605, 1.1847, 0.167801, 0.184048, -0.687355, 0.0133582, -0.26729, 0.370154, 0.0522765, 0.951233, 1.64076, 1.05333, -0.107243, -1.06439, -0.190213, 1.26179, 0.0288766, 0.701281),
    (-0.531211, 0.712373, 0.0345988, -0.469439, -0.176036, 0.175287, -0.149567, -0.356163, 0.214644, -1.04756, 0.0812459, 0.108898, -0.0965845, -0.379923, -0.925039, 0.259375, 0.428695, 0.715482, 0.252142, 0.785572, -0.0526492, 0.43686, -1.13835, 0.56591, -0.40462, 0.57573, -0.336217, -0.778544, 0.950999),
    (-1.06796, 0.44447, 0.435569, -0.685455, 0.420567, -0.262993, 0.412164, -0.603938, 0.372227, -0.543274, 0.31586, -0.152133, 0.592746, 0.0485708, 1.10529, -0.407494, -0.325881, -0.684626, 0.555558, 0.477529, 0.81934, 1.20614, -0.986153, 0.601458, 0.646659, 0.761715, -0.131871, -0.957785, -0.0436388),
    (-1.69982, -0.409736, 0.322387, 1.00256, 0.45827, -0.0710583, -0.702936, 1.1396, -0.607932, -0.298076, -0.225888, -0.312396, -0.881636, 0.230546, 0.412365, 0.0787184, -1.23678, 1.69323, 1.46303, -2.12261, 1.10468, -0.43371, -0.0236442, -0.128667, 0.693193, 0.353658, -0.0933624, 0.389793, -0.426665),
    (1.15469, 0.170618, -1.18192, -1.21893, -0.115007, -0.297218, 0.818833, -0.389459, -0.404337, -0.469408, 0.601552, 0.410378, -0.334683, -0.111487, -1.04954, -0.090443, 1.0122, -0.71867, -1.2468, 1.65716, -0.253831, 0.102255, -0.148334, -0.18532, 0.0880498, 0.900244, -0.972558, 0.319166, -0.3193),
    (1.16197, 0.5732, 0.399075, -1.48385, -0.0517959, 0.630094, -0.169709, 0.256933, 0.484283, 1.11751, -1.23181, -0.345116, -0.0432172, -1.70392, 1.27274, 0.303508, 1.82623, -0.24584, 0.0457238, 0.140782, -0.925451, 1.11369, 0.423785, -0.0985186, -0.409374, -0.940905, -0.323862, 0.452535, 0.137745),
)
BIAS: tuple[float, ...] = (-3.03765, -5.07199, 3.04318, 0.405836, -0.736994, 2.21026, 0.935925, -0.647342, 0.232052, -1.37595, 1.26988, 2.62281, 0.149982)
# --- end of fitted parameters ---


@lru_cache(maxsize=8)
def _lowpass_design(rate_hz: float) -> np.ndarray:
    return signal.butter(2, LP_HZ, "lowpass", fs=rate_hz, output="sos")


def _lowpass_sos(rate_hz: float) -> np.ndarray:
    """``LP_HZ`` low-pass (second-order Butterworth sections) at ``rate_hz``, Hz: a copy of a cached design
    (designing it took about a third of a classification; the engine's grid rate repeats)."""
    return _lowpass_design(rate_hz).copy()


def prepare(acc: np.ndarray, rate_hz: float) -> np.ndarray:
    """Low-pass (``LP_HZ``, zero phase) and resample (n, 3) acceleration (g) sampled at ``rate_hz`` to
    ``FS_HZ``; rows with NaN are dropped. Returns (m, 3)."""
    a = np.asarray(acc, dtype=float)
    a = a[np.all(np.isfinite(a), axis=1)]
    if len(a) < 4 or not rate_hz > 0:
        return np.zeros((0, 3))
    if rate_hz > 2.2 * LP_HZ:
        sos = _lowpass_sos(float(rate_hz))
        pad = min(len(a) - 1, int(rate_hz))
        a = signal.sosfiltfilt(sos, a, axis=0, padlen=pad)
    t = np.arange(len(a)) / rate_hz
    tg = np.arange(0.0, t[-1] + 1e-9, 1.0 / FS_HZ)
    return np.column_stack([np.interp(tg, t, a[:, i]) for i in range(3)])


def _mean(x: np.ndarray) -> float:
    """``np.mean`` of a 1-D float array, bit for bit (the same pairwise sum divided by the count), without its
    Python-level overhead (~4 us: it runs for every lag of the cross-correlation below)."""
    return np.add.reduce(x) / len(x)


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
    xc = np.array([_mean(s[max(0, -k):len(s) - max(0, k)] * nd[max(0, k):len(nd) - max(0, -k)]) for k in lags])
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
