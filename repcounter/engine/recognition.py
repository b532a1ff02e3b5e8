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
MEAN: tuple[float, ...] = (-0.603087, 0.233417, 0.365441, 0.582117, 0.830453, 0.14024, 0.197095, 1.27234, 0.535322, 0.838334, 0.619809, 0.0595053, 1.00653, 0.110685, 0.903831, 0.162507, -0.600255, -0.0304994, -0.51063, -0.146652, 0.509771, -0.177725, 0.070424, -1.06976, -0.274008, 0.147663, 0.027952, 1.80907, 1.06657)
SCALE: tuple[float, ...] = (0.211947, 0.247713, 0.332936, 0.39268, 0.134128, 0.111441, 0.242163, 0.26428, 0.188177, 0.210263, 0.289153, 0.128286, 0.149374, 0.0915045, 0.0847653, 0.19779, 1.22282, 0.85571, 0.347753, 0.304589, 0.170009, 0.711229, 0.37014, 0.463904, 0.369482, 0.318591, 0.222185, 0.465689, 0.50939)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0703365, -0.121147, 0.208178, 0.346031, 0.0118643, 0.191703, -0.108245, 0.25215, 0.0375741, -0.744006, -0.883681, -0.219143, -0.687302, 0.73663, -0.911915, -0.268801, -0.542277, -0.295175, -0.435663, 0.625594, -1.08393, 0.187754, 0.377802, -0.644101, 0.27963, -0.519517, 0.514818, 0.459408, 0.316957),
    (0.697427, -0.0482437, 0.39381, -0.184835, -0.232623, -0.0320958, 0.265076, 0.434327, -0.141988, -0.329418, 0.629938, -0.0634535, 0.192146, -0.163625, -1.04024, 0.62026, 0.601956, 0.537388, 1.39802, 1.17648, 0.249986, -0.842011, 0.51602, 1.13277, 0.0295479, -0.211875, 0.205807, -0.764639, -0.0347583),
    (0.0773592, -0.312844, -0.187704, 0.576759, -0.0764023, 0.591646, -0.117988, 1.03188, -1.07765, -0.261353, 0.458438, -0.681096, 0.855432, 0.461729, 0.261516, 0.102592, -0.124419, 0.0711624, 0.967853, 0.223047, 0.144161, -0.025981, -0.094466, -0.0163662, -0.264826, 0.164145, 0.52575, 0.422361, -0.317136),
    (0.654786, -0.00490206, -0.61838, 0.651581, -0.105595, -0.382075, 1.42169, -0.268408, -0.540409, 0.517802, 0.187594, 0.449855, 0.450418, -0.202547, -0.0221965, -0.103914, -0.129702, -0.184077, -0.847262, -1.8007, 0.191367, 0.733345, -0.560831, -0.0669482, -0.615783, -0.823195, -0.0622201, -0.01606, -0.0191716),
    (-0.525003, -0.196654, -0.302316, -0.107903, 0.691006, -0.687998, -0.106134, -0.577192, 0.267459, 1.15094, -0.598156, 0.600608, -1.258, -0.215944, 0.882525, -0.529458, -0.418528, -0.519552, -0.811051, -0.376015, -0.00714558, 0.0449882, -0.185656, -0.863911, 0.727593, 0.266484, -0.115912, 0.609114, 0.0968558),
    (0.490962, 0.350051, 0.651322, 0.90356, -0.0275682, 0.0918702, -1.13043, 0.190213, 0.413978, 0.200167, -0.39974, 0.0028081, -0.438987, 0.0653968, 0.360566, -0.171621, 0.48306, 0.000257833, -0.155555, 0.144905, -0.55904, -1.71662, 0.722382, 0.66314, -0.0149504, 0.00940547, 0.165585, -0.733156, -0.302275),
    (-0.0917892, -0.10885, 0.178227, 0.560203, 0.358414, -0.341657, -0.390702, -0.312785, 0.354046, 0.510739, 0.678543, 0.0129094, 0.504278, -0.625795, 0.129205, 0.303074, -0.915459, 0.114166, -0.805052, -0.560346, -0.272235, -0.839402, -0.0535175, -0.814002, 0.115496, 0.0515453, -0.540667, 0.636054, -0.0852954),
    (-0.740098, -0.19283, -0.147382, -0.749533, -0.964789, 0.799855, -0.13747, -0.450981, 0.163579, -0.0842321, 0.0709455, -0.289295, 0.941625, 0.0310745, 0.202247, -0.388058, 0.128179, -0.160118, 0.343996, 0.0528114, 0.583825, 1.03374, 0.688933, -0.0430015, -0.830102, -0.128284, 0.833106, -0.100856, 0.448975),
    (-0.236504, 0.577919, 0.327498, -0.472863, -0.302543, 0.416021, 0.0998612, -0.434032, 0.694615, -0.268586, -0.368524, 0.179996, -0.239865, -0.425079, -0.258915, 0.497485, 0.967219, 0.474973, 0.103565, 0.293327, 0.00540042, 0.637733, -0.397719, 0.304087, -0.422704, -0.337321, -0.264883, -0.47142, 0.643968),
    (-0.743097, 0.340905, 0.361184, -0.550724, 0.230447, -0.101807, 0.332459, -0.439712, 0.419634, -0.26474, 0.339276, -0.194577, 0.599414, 0.0253259, 0.880422, -0.198983, -0.135468, -0.436478, 0.425636, 0.285745, 0.447739, 0.697051, -0.628943, 0.471436, 0.324942, 0.438664, -0.0703539, -0.741083, -0.0043929),
    (-0.203881, -0.539294, -0.596724, -0.578983, 0.388169, -0.378745, -0.473795, 0.465078, -0.0374507, -0.0681405, -0.523813, -0.185352, -0.767093, 0.223962, 0.0511621, 0.359824, -0.0743711, 0.358926, 0.405676, -1.26453, 0.56302, 0.0542601, -0.210831, -0.111223, 0.67325, 0.168745, -0.605825, 0.462471, -0.302818),
    (0.549501, 0.255891, -0.267712, -0.393293, 0.0296209, -0.166717, 0.345681, 0.109462, -0.553386, -0.359174, 0.40918, 0.386741, -0.152068, 0.0888718, -0.534382, -0.222402, 0.159808, 0.038526, -0.590162, 1.19967, -0.263146, 0.0351443, -0.173175, -0.0118814, -0.00209339, 0.921203, -0.585205, 0.237808, -0.440907),
)
BIAS: tuple[float, ...] = (-2.76851, -2.88582, 2.45496, 0.672729, -1.86807, 1.4006, 0.41218, -0.661754, 1.112, -0.806216, 0.965202, 1.97269)
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
