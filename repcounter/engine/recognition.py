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
    "normal_vert",  # |cos| between gravity and the motion plane's normal (~ rotation axis for tilts), shrunk
    # towards the no-plane value as the plane gets ill-defined (2nd and 3rd eigenvalues alike)
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
MEAN: tuple[float, ...] = (-0.60844, 0.193367, 0.318219, 0.650103, 0.845982, 0.127169, 0.159989, 1.27341, 0.553894, 0.854402, 0.589235, 0.0616765, 0.999363, 0.104476, 0.9105, 0.142561, -0.778605, -0.141844, -0.533897, -0.150964, 0.492528, -0.305156, 0.0962627, -1.11304, -0.226367, 0.152168, 0.0126132, 1.84455, 1.06161)
SCALE: tuple[float, ...] = (0.1918, 0.229208, 0.30788, 0.290553, 0.122638, 0.102437, 0.221882, 0.234067, 0.173571, 0.190052, 0.286385, 0.128302, 0.14381, 0.0883731, 0.0770807, 0.175558, 1.43691, 1.11856, 0.328148, 0.298312, 0.170233, 0.721187, 0.391683, 0.468552, 0.352554, 0.310856, 0.220352, 0.454586, 0.529169)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0648996, -0.0518471, 0.525223, 0.431638, 0.158265, 0.214666, -0.120267, 0.103225, 0.162624, -1.01472, -1.20019, -0.179736, -0.733134, 0.824399, -1.20597, 0.0109624, -0.574754, -0.573194, -0.664536, 0.972249, -1.76965, 0.146516, 0.66024, -0.966291, 0.339351, -0.689801, 0.744405, 0.598839, 0.4413),
    (1.20461, -0.606066, 0.301974, 0.0338525, -0.403023, 0.0191455, 0.277888, 0.684616, -0.596532, -0.739485, 0.966979, 0.0177753, 0.365351, -0.0602462, -1.66319, 0.768534, 0.638928, 0.675768, 1.98845, 1.59606, 0.293766, -1.74997, 0.702584, 1.69589, -0.082412, 0.39521, 0.363007, -1.12319, -0.130104),
    (-0.353525, -0.391552, -0.295837, 1.11456, -0.0251722, 0.751207, 0.351973, 1.24663, -1.39073, -0.29928, 0.440063, -0.803032, 1.42611, 0.762594, 0.42814, -0.131395, -0.387571, -0.105283, 1.06843, 0.37821, 0.572158, -0.219246, -0.114166, 0.0869323, -0.182145, 0.50886, 0.37961, 0.353949, -0.350761),
    (1.26974, -0.0999969, -1.2853, 0.939447, -0.31328, -0.620403, 2.45491, -0.602554, -0.447823, 0.876911, 0.274629, 0.723554, 0.7739, -0.345423, -0.0991922, -0.510805, -0.11842, -0.271556, -1.26876, -2.6525, 0.200399, 1.31536, -0.971258, -0.162086, -0.74933, -1.58619, -0.10645, 0.0376681, -0.0330211),
    (-0.273811, -0.224507, -0.595121, -0.326848, 0.70157, -0.627417, -0.166754, -0.752424, 0.857003, 1.34097, -0.655331, 0.664405, -1.3286, 0.302686, 1.01454, 0.262971, -0.534561, -0.721627, -1.25963, -0.636131, 0.02205, 0.468051, -0.307703, -0.908091, 0.855875, 0.0353996, -0.466412, 0.831247, -0.202036),
    (0.433738, 0.409116, 0.777889, 0.990632, -0.119404, 0.269687, -1.9885, -0.0942074, 0.320673, 0.276779, -0.536109, 0.055401, -0.602517, 0.118185, 0.54572, -0.226704, 0.841386, -0.0342873, -0.282962, 0.0032693, -0.685139, -2.4601, 0.888208, 0.645052, 0.0803467, -0.0977423, 0.336529, -1.01238, -0.37751),
    (-0.135404, 0.115764, 0.965541, 1.00528, 0.641891, -0.822522, -0.583587, -0.155882, 0.716419, 0.863043, 0.870099, 0.0857149, -0.146758, 0.0522548, 0.0119283, 0.329172, -1.56271, 0.489736, -1.20031, -0.512243, -0.283828, -1.36125, -0.0317582, -1.10806, 0.201154, -0.0405217, -0.652958, 0.963022, -0.410596),
    (-0.913519, -0.398837, -0.308591, -0.457481, -1.22422, 0.847783, -0.308628, -0.477712, 0.152045, -0.0366349, 0.315783, -0.320786, 1.24409, 0.199247, 0.377711, -0.745579, 0.0624507, -0.277958, 0.427908, 0.0109676, 1.0395, 1.67821, 1.11355, 0.000648899, -1.15099, -0.144865, 1.20065, -0.0642232, 0.786335),
    (-0.4872, 0.928883, 0.254021, 0.326419, -0.230098, 0.228146, -0.0303724, -0.348547, 0.271799, -1.0281, 0.00166092, 0.0805588, -0.189134, -0.433419, -0.683124, 0.268255, 0.514982, 0.778628, 0.26642, 0.729378, -0.00173581, 0.548575, -1.1561, 0.673434, -0.386163, 0.612513, -0.303724, -0.85942, 1.00275),
    (-1.07904, 0.395959, 0.431037, -0.825243, 0.414925, -0.265129, 0.368393, -0.566917, 0.330472, -0.560831, 0.325471, -0.138044, 0.622863, 0.0359812, 1.13395, -0.417446, -0.305932, -0.64087, 0.548072, 0.462063, 0.82937, 1.18493, -0.928988, 0.626424, 0.689833, 0.731911, -0.133329, -0.971678, -0.0435472),
    (-1.71917, -0.569068, 0.163979, 0.265345, 0.46408, -0.168088, -0.767579, 1.18718, -0.582272, -0.29954, -0.24703, -0.339544, -0.887645, 0.172642, 0.092327, 0.114245, -1.21944, 1.66677, 1.40162, -2.09171, 1.01626, -0.433994, 0.0148287, -0.253314, 0.63189, 0.326993, -0.107738, 0.504217, -0.441912),
    (1.05602, 0.144485, -1.18545, -1.10187, -0.120221, -0.219901, 0.812699, -0.338363, -0.273409, -0.486079, 0.561327, 0.420176, -0.502207, -0.120698, -0.864843, -0.0921626, 1.07855, -0.795821, -1.08742, 1.54056, -0.258803, -0.0224032, -0.173113, -0.112198, 0.0711019, 0.886083, -0.92775, 0.296471, -0.268209),
    (0.932654, 0.347667, 0.250635, -2.39573, 0.054686, 0.392825, -0.300174, 0.114958, 0.479735, 1.10697, -1.11736, -0.266444, -0.0423238, -1.5082, 0.911993, 0.36995, 1.5671, -0.190306, 0.0627097, 0.19983, -0.974354, 0.905314, 0.30367, -0.218345, -0.318508, -0.937849, -0.325843, 0.445475, 0.0273118),
)
BIAS: tuple[float, ...] = (-2.93274, -5.44725, 2.88716, 0.439928, -0.2655, 2.52186, 1.3027, -1.51362, 0.00708482, -1.69158, 1.47736, 3.00626, 0.208355)
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
    v1, v2, v3 = vecs[:, 2], vecs[:, 1], vecs[:, 0]
    # The plane's normal v3 is only defined when the 2nd eigenvalue clearly exceeds the 3rd: near a line (fast
    # lat pulldowns: 2nd and 3rd shares 0.05 and 0.02) it turns freely about the principal axis, and |v3 . g|
    # jumped from 0.8 to 0.01 between like sets. Blend cos^2 with its mean over the normal's free turn,
    # (cos^2 v2 + cos^2 v3) / 2, by how well the plane is defined, (l2 - l3) / (l2 + l3).
    c2, c3 = float(v2 @ gn) ** 2, float(v3 @ gn) ** 2
    planar = float((lam[1] - lam[0]) / max(lam[1] + lam[0], 1e-12))
    normal_vert = float(np.sqrt(c3 * planar + 0.5 * (c2 + c3) * (1.0 - planar)))
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
        normal_vert,
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
