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
MEAN: tuple[float, ...] = (-0.631089, 0.202663, 0.336675, 0.635074, 0.835935, 0.136216, 0.179894, 1.24412, 0.552212, 0.868129, 0.61041, 0.0593785, 1.01623, 0.0979437, 0.908915, 0.154995, -0.704667, -0.156049, -0.509617, -0.157122, 0.483034, -0.227138, 0.120433, -1.10385, -0.258939, 0.160123, 0.0363186, 1.8035, 1.05703)
SCALE: tuple[float, ...] = (0.190892, 0.231878, 0.321426, 0.296589, 0.131443, 0.111408, 0.230795, 0.228917, 0.163975, 0.150726, 0.287619, 0.126805, 0.150154, 0.0776136, 0.0748457, 0.188248, 1.38535, 1.12818, 0.320892, 0.288141, 0.142117, 0.746628, 0.389225, 0.458075, 0.367131, 0.301454, 0.241836, 0.454214, 0.484128)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0243967, 0.209677, 0.85979, 0.248906, 0.132293, 0.297373, -0.179312, 0.107326, 0.0307539, -1.01426, -1.03757, 0.157126, -1.11433, 0.318268, -1.10513, 0.0819927, -0.396333, -0.428004, -0.84578, 0.780411, -1.39663, 0.122271, 0.749945, -1.05334, 0.58644, -0.604287, 0.793156, 0.778579, 0.0965106),
    (1.24986, -0.350371, 0.512207, 0.128934, -0.212479, -0.0635607, 0.298649, 0.982189, -0.333873, -0.331548, 0.91555, 0.181179, 0.159961, 0.0452333, -1.81417, 1.03018, 0.448412, 0.231362, 1.79437, 1.49325, -0.0337087, -1.65241, 0.865141, 1.71287, 0.236918, -0.0428504, 0.287199, -1.10004, -0.0934284),
    (-0.506809, 0.117403, -1.08434, 0.840627, 0.297002, 1.23449, 0.236555, 1.11157, -1.43483, -0.00559599, 0.359146, -0.723333, 1.13893, 0.977974, 0.837603, 0.0437839, -0.848227, 0.489286, 1.25631, 0.211585, 0.56222, 0.0595618, 0.107379, -0.00696976, 0.0820312, 0.336286, 0.424512, 0.134631, -0.737476),
    (1.15187, -0.0922268, -1.22404, 1.00762, -0.292643, -0.569769, 2.35882, -0.612913, -0.560403, 0.680331, 0.231372, 0.705812, 0.762723, -0.277548, -0.00800978, -0.526824, -0.171283, -0.28449, -1.22231, -2.69604, 0.262194, 1.32891, -0.981501, -0.173713, -0.838208, -1.65958, -0.22828, -0.0140098, 0.024396),
    (-0.347993, -0.244884, -0.473912, -0.328682, 0.917034, -0.901463, -0.156957, -0.750294, 0.81165, 1.12873, -0.847085, 0.605587, -1.28877, 0.565414, 1.42494, 0.137339, -0.578009, -0.458699, -0.844441, -0.58158, -0.393653, 0.484036, -0.374843, -0.742716, 0.794955, 0.0175094, -0.411759, 0.512576, 0.160509),
    (0.315743, -0.156413, 0.126745, 0.904002, -0.253115, -0.00386801, -1.07338, 0.270207, -0.0522067, 0.436702, -0.30597, 0.121609, -0.471682, -0.202838, -0.233477, -0.197957, 0.490168, -0.0920923, -0.0609183, -0.420417, -1.36271, -2.0386, 0.378505, 0.574057, 0.289132, 0.145426, 0.601808, -0.755452, 0.245572),
    (-0.0108956, 0.0201122, 0.743368, 0.922486, 0.43158, -0.588678, -0.496887, -0.206455, 0.803176, 0.830475, 0.642537, -0.20376, 0.219127, 0.11118, -0.0292552, 0.118263, -1.32008, 0.552657, -1.17773, -0.366329, -0.202643, -1.29074, 0.0597497, -1.01399, -0.0833928, 0.0662608, -0.639842, 0.961544, -0.145099),
    (-0.944414, -0.331356, -0.155275, -0.37178, -1.12793, 0.981884, -0.196047, -0.601416, 0.166648, -0.0673582, 0.272519, -0.249792, 1.18013, -6.62799e-05, 0.382979, -0.636691, 0.161764, -0.182496, 0.397828, 0.0707848, 1.1068, 1.51745, 1.05387, -0.145214, -0.930504, -0.158258, 1.21586, 0.00977207, 0.426774),
    (-0.343246, 0.543726, 0.454187, 0.149093, -0.338055, 0.0676785, -0.205875, -0.0985269, 0.449054, -0.984815, 0.213336, -0.0715489, -0.0260288, -0.356433, -0.842885, 0.202742, 0.682694, 0.156025, 0.39778, 0.947589, -0.145955, 0.00978986, -1.10648, 0.69893, -0.743177, 0.734203, -0.29857, -0.695198, 0.934854),
    (-1.07836, 0.3895, 0.433818, -0.81152, 0.422091, -0.297514, 0.340606, -0.618848, 0.453694, -0.587275, 0.358726, -0.18266, 0.610026, 0.0846615, 1.08522, -0.476255, -0.35095, -0.664616, 0.598627, 0.521906, 0.887458, 1.16306, -1.00218, 0.583906, 0.617045, 0.692092, -0.19941, -0.936695, -0.0914932),
    (-1.7886, -0.298848, 0.530861, 0.631367, 0.634555, -0.19265, -1.33096, 1.00938, -0.518462, -0.693895, -0.235387, -0.446072, -0.670176, 0.256292, 0.0269821, -0.131229, -0.579988, 1.70748, 0.739473, -1.52409, 1.49402, -0.436026, 0.125641, -0.185521, 0.413001, 0.700726, -0.129274, 0.230712, -0.570454),
    (1.37581, -0.181226, -0.966162, -1.06568, -0.582029, -0.393366, 0.683087, -0.789635, -0.25455, -0.419652, 0.528998, 0.394714, -0.570076, -0.0722012, -0.679631, -0.0335137, 1.03631, -0.793667, -1.13325, 1.34384, 0.0432157, -0.160295, -0.238292, -0.0163866, -0.0320848, 0.682197, -1.03576, 0.376598, -0.351052),
    (0.902637, 0.374906, 0.242748, -2.25537, -0.0283064, 0.429441, -0.278294, 0.197415, 0.439343, 1.02816, -1.09617, -0.28886, 0.0701683, -1.44994, 0.954844, 0.388169, 1.42552, -0.232743, 0.100033, 0.219088, -0.820599, 0.892995, 0.363055, -0.231922, -0.392154, -0.909722, -0.379638, 0.496987, 0.100388),
)
BIAS: tuple[float, ...] = (-2.47668, -4.96572, 2.64602, 0.416065, -0.705453, 1.99314, 1.16521, -0.642574, 0.328545, -1.49359, 0.473816, 2.76587, 0.495342)
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
