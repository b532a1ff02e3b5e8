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
    (-0.00161745, -0.0927139, 0.458758, 0.288035, 0.116831, 0.200771, -0.121009, 0.102466, 0.153743, -1.03557, -1.17435, -0.201844, -0.738226, 0.887807, -1.23487, 0.0436363, -0.62331, -0.5897, -0.635162, 0.957642, -1.79104, 0.138146, 0.668887, -0.975973, 0.376466, -0.632398, 0.720528, 0.566848, 0.515891),
    (1.12142, -0.585474, 0.310201, -0.100936, -0.39943, -0.0272785, 0.239133, 0.63159, -0.544261, -0.714866, 0.912983, 0.0428748, 0.322635, -0.087953, -1.70804, 0.74675, 0.648396, 0.692101, 1.97726, 1.59932, 0.343965, -1.72115, 0.656482, 1.68551, -0.0228504, 0.402013, 0.362503, -1.08519, -0.133474),
    (-0.402852, -0.530222, -0.448156, 0.873854, -0.0684473, 0.704967, 0.277703, 1.29543, -1.31903, -0.299197, 0.506591, -0.729228, 1.41867, 0.763517, 0.346138, -0.114614, -0.369744, -0.120139, 1.13844, 0.310324, 0.550813, -0.270326, -0.0913017, 0.129464, -0.208043, 0.438731, 0.439718, 0.352102, -0.385331),
    (1.19117, -0.167971, -1.30581, 0.831971, -0.310706, -0.617599, 2.36627, -0.548521, -0.451593, 0.893138, 0.236181, 0.680565, 0.729787, -0.356604, -0.135228, -0.514458, -0.0987518, -0.270181, -1.27829, -2.7141, 0.163451, 1.27318, -0.986678, -0.141707, -0.722123, -1.62763, -0.0792689, 0.0217221, -0.0633425),
    (-0.326693, -0.241855, -0.59489, -0.332428, 0.714565, -0.671613, -0.165545, -0.779318, 0.822964, 1.31384, -0.64811, 0.657921, -1.3228, 0.302097, 1.08336, 0.261547, -0.542198, -0.698533, -1.22677, -0.605899, 0.0128417, 0.502115, -0.289086, -0.928543, 0.834739, 0.017781, -0.427512, 0.800546, -0.199979),
    (0.420075, 0.418718, 0.793612, 1.141, -0.0583989, 0.227215, -1.99324, -0.0832797, 0.389762, 0.253471, -0.468764, 0.0591027, -0.750431, 0.139836, 0.640416, -0.197394, 0.829111, -0.0422441, -0.216006, 0.00265647, -0.600753, -2.51334, 0.870577, 0.711919, 0.00458791, 0.00886886, 0.236684, -1.02728, -0.335032),
    (-0.182051, 0.109909, 0.979653, 0.981982, 0.650928, -0.807964, -0.566074, -0.172102, 0.735993, 0.893058, 0.924342, 0.0935079, -0.133499, 0.0741831, 0.0410526, 0.333009, -1.54322, 0.515499, -1.21731, -0.524319, -0.308085, -1.43131, -0.0470534, -1.13097, 0.172639, -0.0457063, -0.654913, 0.920556, -0.374908),
    (-0.861773, -0.37549, -0.207183, -0.828825, -1.14694, 0.854542, -0.298526, -0.468406, 0.157518, -0.0812742, 0.19481, -0.34337, 1.1868, 0.164646, 0.200045, -0.688333, 0.0227505, -0.25508, 0.378755, 0.0569742, 0.941976, 1.63359, 1.05906, -0.110999, -1.06188, -0.200455, 1.25548, 0.0315332, 0.692678),
    (-0.531849, 0.690969, 0.0711992, -0.478154, -0.190332, 0.173171, -0.112878, -0.345504, 0.222442, -1.03443, 0.0617832, 0.12621, -0.0768192, -0.352448, -0.881007, 0.255589, 0.447144, 0.706348, 0.294882, 0.724607, -0.0520993, 0.441787, -1.10689, 0.527599, -0.382587, 0.523412, -0.329037, -0.750285, 0.936005),
    (-1.03873, 0.43431, 0.425298, -0.674269, 0.406852, -0.248356, 0.407479, -0.590886, 0.372141, -0.528236, 0.313237, -0.148813, 0.595305, 0.0473626, 1.08671, -0.394433, -0.313938, -0.662585, 0.553855, 0.472211, 0.785353, 1.17196, -0.962347, 0.593454, 0.631606, 0.731465, -0.137296, -0.942477, -0.0397018),
    (-1.64544, -0.408823, 0.292711, 0.976098, 0.467787, -0.109358, -0.64993, 1.06205, -0.602151, -0.318308, -0.238543, -0.32802, -0.880624, 0.214256, 0.362638, 0.0902174, -1.18606, 1.66673, 1.40263, -2.07624, 1.10438, -0.425675, -0.0107582, -0.110629, 0.686407, 0.37602, -0.130373, 0.353314, -0.40102),
    (1.13809, 0.194219, -1.15304, -1.21975, -0.119137, -0.295169, 0.778924, -0.375916, -0.426757, -0.439699, 0.560405, 0.404506, -0.317124, -0.131409, -1.04674, -0.12082, 0.966415, -0.689107, -1.22541, 1.66338, -0.277735, 0.100112, -0.161356, -0.16796, 0.0842909, 0.925994, -0.94134, 0.327113, -0.333734),
    (1.12024, 0.554425, 0.377652, -1.45857, -0.0635735, 0.616672, -0.162313, 0.272402, 0.489229, 1.09807, -1.18056, -0.313412, -0.0336776, -1.66529, 1.24553, 0.299303, 1.76341, -0.253103, 0.0531229, 0.133443, -0.87307, 1.10091, 0.40047, -0.0811694, -0.393254, -0.918094, -0.315174, 0.431495, 0.121948),
)
BIAS: tuple[float, ...] = (-2.98135, -5.04539, 3.08492, 0.415097, -0.758142, 2.21307, 0.919056, -0.6258, 0.156384, -1.32837, 1.23945, 2.53027, 0.180807)
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
