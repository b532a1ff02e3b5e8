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
MEAN: tuple[float, ...] = (-0.623378, 0.209531, 0.342339, 0.62648, 0.831096, 0.139594, 0.177369, 1.25436, 0.55286, 0.847475, 0.599895, 0.0608324, 1.01273, 0.105242, 0.906177, 0.155642, -0.745523, -0.14125, -0.517166, -0.150866, 0.499792, -0.24125, 0.115142, -1.10031, -0.254688, 0.154391, 0.036469, 1.81755, 1.06701)
SCALE: tuple[float, ...] = (0.198425, 0.233617, 0.322865, 0.380675, 0.134973, 0.112702, 0.228673, 0.2437, 0.1722, 0.1918, 0.290634, 0.127561, 0.157381, 0.0890007, 0.0787351, 0.187684, 1.40503, 1.08876, 0.327953, 0.291397, 0.169199, 0.751051, 0.392651, 0.459153, 0.364724, 0.304615, 0.237854, 0.458025, 0.544989)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.00491387, -0.0849975, 0.475255, 0.275728, 0.123473, 0.198128, -0.119039, 0.10088, 0.164825, -1.04379, -1.18346, -0.179781, -0.748894, 0.915144, -1.23808, 0.0406784, -0.617947, -0.593256, -0.640213, 0.961753, -1.81261, 0.144837, 0.664611, -0.980685, 0.376706, -0.632127, 0.696681, 0.568467, 0.507885),
    (1.14836, -0.628374, 0.296872, -0.0852667, -0.419954, -0.0148504, 0.239334, 0.644851, -0.576558, -0.722338, 0.932091, 0.0499521, 0.330821, -0.100816, -1.74544, 0.758441, 0.640238, 0.684385, 1.98421, 1.6133, 0.336848, -1.76633, 0.673503, 1.711, -0.0338452, 0.434335, 0.364346, -1.09469, -0.145516),
    (-0.38149, -0.535435, -0.440985, 0.884052, -0.0852381, 0.67702, 0.300113, 1.28913, -1.32039, -0.300287, 0.480807, -0.761834, 1.45226, 0.782979, 0.365044, -0.108635, -0.376485, -0.090975, 1.14431, 0.291654, 0.566413, -0.266874, -0.0636925, 0.134179, -0.202734, 0.398635, 0.420762, 0.345245, -0.387416),
    (1.16945, -0.160613, -1.30934, 0.858439, -0.291941, -0.633357, 2.38126, -0.577168, -0.458911, 0.882568, 0.231098, 0.69185, 0.72153, -0.360759, -0.13848, -0.52719, -0.110092, -0.276267, -1.27619, -2.72286, 0.164261, 1.28196, -0.980223, -0.137828, -0.725681, -1.62402, -0.0853508, 0.00416937, -0.0463589),
    (-0.323227, -0.238465, -0.580815, -0.336545, 0.710639, -0.66997, -0.167399, -0.769145, 0.837014, 1.33588, -0.650292, 0.66757, -1.30597, 0.300817, 1.07921, 0.240755, -0.537503, -0.704359, -1.23622, -0.610354, 0.00948091, 0.484804, -0.304096, -0.929682, 0.835805, 0.0143336, -0.407194, 0.801518, -0.201282),
    (0.407294, 0.422584, 0.790743, 1.11929, -0.0692741, 0.225563, -1.98014, -0.0715069, 0.395555, 0.260172, -0.472365, 0.0731443, -0.743135, 0.147143, 0.634273, -0.199729, 0.827189, -0.0415514, -0.218044, 0.00515859, -0.609565, -2.51708, 0.882027, 0.68878, 0.0237795, -0.00652775, 0.256338, -1.00464, -0.334245),
    (-0.183662, 0.109002, 0.964506, 0.955227, 0.643354, -0.805256, -0.561113, -0.192046, 0.739294, 0.893937, 0.921669, 0.0915399, -0.135206, 0.05534, 0.0394337, 0.339463, -1.54742, 0.525003, -1.19887, -0.521809, -0.298258, -1.4337, -0.0557495, -1.13834, 0.182001, -0.0383391, -0.649117, 0.927597, -0.404467),
    (-0.863717, -0.37652, -0.205988, -0.820642, -1.14494, 0.850244, -0.299631, -0.466744, 0.153441, -0.0710119, 0.199645, -0.34218, 1.18634, 0.16968, 0.184892, -0.686758, 0.0153696, -0.265876, 0.370519, 0.0511212, 0.951483, 1.64188, 1.05304, -0.107715, -1.06515, -0.189907, 1.26266, 0.0288377, 0.700395),
    (-0.529582, 0.713642, 0.0338188, -0.467567, -0.178183, 0.173384, -0.151083, -0.35848, 0.215452, -1.04569, 0.0811465, 0.107207, -0.0949374, -0.377356, -0.923102, 0.259708, 0.429114, 0.715216, 0.256205, 0.781132, -0.0532154, 0.439339, -1.13897, 0.567698, -0.403965, 0.575966, -0.337104, -0.778749, 0.947126),
    (-1.06903, 0.445053, 0.435544, -0.687738, 0.421038, -0.263672, 0.413021, -0.604437, 0.372829, -0.543104, 0.316337, -0.152073, 0.593, 0.0493412, 1.1066, -0.407613, -0.325398, -0.685032, 0.556264, 0.476529, 0.819599, 1.20666, -0.985914, 0.602556, 0.646964, 0.761971, -0.13149, -0.958935, -0.0442451),
    (-1.69849, -0.408934, 0.323216, 1.00445, 0.458842, -0.0698055, -0.704577, 1.13847, -0.604823, -0.295429, -0.223932, -0.31071, -0.878255, 0.231245, 0.413343, 0.0785462, -1.23503, 1.69558, 1.46058, -2.12436, 1.10516, -0.430614, -0.021411, -0.12816, 0.69052, 0.347553, -0.0927342, 0.389719, -0.4167),
    (1.15676, 0.170455, -1.18123, -1.21687, -0.114975, -0.298574, 0.818776, -0.391217, -0.402442, -0.46834, 0.599932, 0.410966, -0.333877, -0.109464, -1.0482, -0.0913105, 1.01406, -0.717516, -1.24814, 1.65701, -0.25446, 0.103532, -0.146136, -0.183532, 0.085323, 0.899527, -0.973665, 0.319122, -0.312013),
    (1.16243, 0.572602, 0.398402, -1.48257, -0.0528466, 0.631146, -0.169524, 0.257413, 0.484709, 1.11743, -1.23268, -0.34565, -0.0436768, -1.7033, 1.27051, 0.303643, 1.8239, -0.245348, 0.0455973, 0.141725, -0.925135, 1.11159, 0.423009, -0.0982684, -0.409724, -0.941399, -0.324132, 0.452342, 0.136837),
)
BIAS: tuple[float, ...] = (-3.03298, -5.07582, 3.04549, 0.412742, -0.737629, 2.21445, 0.929496, -0.657522, 0.226094, -1.38469, 1.27796, 2.62713, 0.155278)
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
