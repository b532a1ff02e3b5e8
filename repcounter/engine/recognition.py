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
CLASSES: tuple[str, ...] = ('pullup', 'lat_pulldown', 'seated_row', 'bent_over_row', 'pullup:sim', 'lat_pulldown:sim', 'seated_row:sim', 'bent_over_row:sim', 'other:press', 'other:legs', 'other:arms', 'other:misc')
MEAN: tuple[float, ...] = (-0.623279, 0.209526, 0.342073, 0.626408, 0.831049, 0.139629, 0.177307, 1.25456, 0.552864, 0.847368, 0.599413, 0.0609603, 1.01278, 0.105068, 0.906208, 0.155531, -0.745053, -0.141526, -0.51751, -0.151276, 0.500214, -0.240872, 0.116008, -1.1, -0.254958, 0.154877, 0.0364111, 1.81768, 1.0708)
SCALE: tuple[float, ...] = (0.198322, 0.233486, 0.322826, 0.38064, 0.135076, 0.112796, 0.228539, 0.243599, 0.17222, 0.192171, 0.291186, 0.127619, 0.157392, 0.0889815, 0.0787319, 0.187654, 1.40486, 1.08913, 0.32819, 0.291984, 0.169325, 0.750892, 0.392402, 0.45856, 0.364793, 0.3051, 0.237429, 0.457208, 0.553709)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.153194, -0.084585, 0.488489, 0.218166, 0.0995877, 0.221587, -0.119603, 0.120986, 0.0742118, -0.983326, -1.12703, -0.167517, -0.71366, 0.840822, -1.2252, -0.0681261, -0.499265, -0.603826, -0.673257, 1.00541, -1.9091, 0.0811906, 0.681901, -0.994346, 0.439067, -0.663046, 0.710338, 0.610776, 0.539977),
    (1.09356, -0.383472, 0.402993, -0.269799, -0.41281, 0.0505261, 0.23874, 0.711636, -0.40487, -0.547411, 0.832318, -0.0907863, 0.412748, -0.289919, -1.41275, 0.899137, 0.665944, 0.71192, 2.00122, 1.62871, 0.301677, -1.25907, 0.812303, 1.69233, -0.120587, 0.124068, 0.463505, -1.09737, -0.0644896),
    (-0.224867, -0.412088, -0.393353, 0.678946, -0.000817602, 0.939522, 0.195563, 1.46758, -1.44676, -0.373837, 0.545178, -0.847461, 1.58475, 0.591807, 0.46576, -0.131807, -0.111394, 0.0269649, 1.36509, 0.412756, 0.328762, -0.0275499, 0.0492214, 0.0421045, -0.103967, 0.378715, 0.680475, 0.475245, -0.305761),
    (1.09101, -0.246147, -1.14876, 1.08048, -0.422801, -0.563721, 2.32011, -0.507109, -0.553418, 0.811224, 0.396069, 0.710329, 0.885274, -0.418755, 0.0407335, -0.465472, -0.230379, -0.185246, -1.20589, -2.83856, 0.282006, 0.991986, -1.11171, -0.109451, -0.9085, -1.60997, -0.0276981, -0.00499034, -0.0112487),
    (-0.47089, -0.192994, -0.484483, 0.0721895, 0.834406, -0.799788, -0.134072, -1.04158, 0.604718, 1.84018, -0.882919, 0.666713, -1.49669, 0.395329, 1.21425, 0.156124, -0.699225, -0.603876, -1.40699, -0.834162, 0.11199, 0.260686, -0.474412, -1.0208, 0.951024, 0.103835, -0.59068, 0.804137, -0.324646),
    (0.506489, 0.592808, 1.03662, 1.17405, -0.0914927, 0.319078, -2.01822, 0.0771626, 0.313037, 0.190294, -0.545081, -0.00523048, -0.654882, -0.00812938, 0.770255, -0.25834, 0.865298, 0.082298, -0.136355, 0.111004, -0.773153, -2.33671, 1.03788, 0.760657, -0.0602502, 0.0148211, 0.286332, -1.04984, -0.228121),
    (-0.119055, 0.197872, 1.0408, 1.04923, 0.675389, -0.767196, -0.541523, 0.00731112, 0.626295, 1.0158, 0.759517, 0.0250852, -0.184184, -0.0976546, 0.0681765, 0.354776, -1.50242, 0.427933, -1.23742, -0.605285, -0.45111, -1.22988, -0.154125, -1.22497, 0.402769, -0.0196295, -0.760692, 1.02061, -0.422504),
    (-0.96029, -0.376009, -0.226762, -1.08042, -1.25332, 0.993476, -0.298369, -0.488708, 0.19977, -0.158105, 0.25527, -0.440306, 1.42145, 0.0872307, 0.208953, -0.747722, 0.126953, -0.187114, 0.476129, 0.0726756, 0.923161, 1.60328, 0.931464, -0.0451054, -1.23861, -0.187453, 1.31388, -0.0603993, 0.658174),
    (-0.266634, 0.770331, 0.390304, -0.589879, -0.211638, 0.486893, -0.121255, -0.498033, 0.916483, -0.612958, -0.450534, 0.204696, -0.568549, -0.771266, -0.461657, 0.514452, 1.28134, 0.488116, 0.151888, 0.672764, 0.018188, 0.924447, -0.617924, 0.553785, -0.811414, -0.158078, -0.323591, -0.794882, 1.07876),
    (-1.09197, 0.452365, 0.501609, -0.754185, 0.304339, -0.154473, 0.41651, -0.582554, 0.537772, -0.492449, 0.434382, -0.27287, 0.723925, -0.0517493, 1.20093, -0.328034, -0.208649, -0.55482, 0.649043, 0.48456, 0.778281, 1.15779, -0.925202, 0.655352, 0.517766, 0.710104, -0.0933784, -1.0095, -0.0305693),
    (-0.467967, -0.699263, -0.801941, -0.926175, 0.587557, -0.515318, -0.714614, 0.717014, -0.101359, 0.00882773, -0.861248, -0.20117, -1.27917, -0.10575, -0.188519, 0.276104, -0.149547, 0.513349, 0.759599, -1.7966, 0.749376, -0.0624948, -0.344405, -0.173907, 0.860396, 0.0695672, -0.824031, 0.775567, -0.530486),
    (0.757425, 0.381181, -0.80552, -0.652611, -0.108399, -0.210586, 0.776728, 0.0162938, -0.765879, -0.698243, 0.644079, 0.418518, -0.131013, -0.171965, -0.680934, -0.20109, 0.461339, -0.115699, -0.743045, 1.68673, -0.360081, -0.103685, 0.115005, -0.135655, 0.0723009, 1.23707, -0.834458, 0.330644, -0.35909),
)
BIAS: tuple[float, ...] = (-3.25271, -4.50389, 3.14036, 0.550761, -1.76858, 2.17893, 0.578533, -0.828648, 1.44984, -1.29582, 1.14203, 2.60919)
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
