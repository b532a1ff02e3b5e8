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
MEAN: tuple[float, ...] = (-0.608548, 0.192683, 0.317199, 0.651189, 0.846291, 0.126753, 0.159727, 1.27297, 0.554166, 0.855445, 0.589061, 0.062045, 0.999539, 0.104404, 0.910288, 0.143296, -0.776968, -0.14214, -0.534039, -0.151582, 0.491787, -0.305072, 0.095143, -1.11297, -0.22635, 0.15222, 0.0129149, 1.844, 1.06185)
SCALE: tuple[float, ...] = (0.191365, 0.228807, 0.307219, 0.28991, 0.122438, 0.101961, 0.221759, 0.232738, 0.173706, 0.188863, 0.286631, 0.12882, 0.144165, 0.0886811, 0.0775374, 0.176415, 1.43606, 1.11881, 0.328074, 0.298993, 0.169426, 0.720429, 0.3924, 0.468296, 0.353054, 0.311939, 0.219445, 0.454303, 0.529314)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0636362, -0.0528788, 0.52166, 0.434319, 0.155255, 0.219545, -0.119978, 0.112842, 0.16482, -1.02008, -1.19279, -0.179558, -0.73908, 0.824197, -1.20438, 0.00861168, -0.563292, -0.582169, -0.658015, 0.968442, -1.77804, 0.138491, 0.664325, -0.968259, 0.342204, -0.688604, 0.74285, 0.601784, 0.444991),
    (1.20383, -0.604345, 0.31403, 0.0308459, -0.393903, 0.0217438, 0.273142, 0.68324, -0.59644, -0.733644, 0.971828, 0.0174189, 0.360478, -0.0671577, -1.6605, 0.767201, 0.641825, 0.681668, 1.98308, 1.5874, 0.288535, -1.75517, 0.687014, 1.69808, -0.0764768, 0.389394, 0.355701, -1.12602, -0.128624),
    (-0.358847, -0.394426, -0.293993, 1.11853, -0.0229276, 0.760918, 0.357033, 1.24906, -1.39073, -0.301685, 0.446326, -0.804034, 1.42894, 0.757718, 0.438341, -0.133621, -0.380951, -0.108282, 1.07033, 0.385657, 0.570127, -0.217827, -0.109193, 0.0804589, -0.176545, 0.516206, 0.376113, 0.352482, -0.352407),
    (1.26852, -0.0979173, -1.28546, 0.938797, -0.319116, -0.615306, 2.45453, -0.599399, -0.444659, 0.870257, 0.275265, 0.726217, 0.772644, -0.353078, -0.0945811, -0.510806, -0.118731, -0.271324, -1.27014, -2.64915, 0.198581, 1.31578, -0.969216, -0.163521, -0.750289, -1.58167, -0.110092, 0.0396201, -0.0329423),
    (-0.2672, -0.2217, -0.593168, -0.333485, 0.70318, -0.628975, -0.166637, -0.757743, 0.856693, 1.33641, -0.65545, 0.670418, -1.32075, 0.305742, 1.01426, 0.262141, -0.541051, -0.723068, -1.25874, -0.639051, 0.0194778, 0.472634, -0.310738, -0.900929, 0.856518, 0.0197079, -0.448861, 0.828264, -0.201508),
    (0.453235, 0.384895, 0.751191, 0.981949, -0.114656, 0.260675, -1.97239, -0.115324, 0.301122, 0.290566, -0.528653, 0.0605888, -0.570809, 0.1558, 0.552235, -0.202315, 0.829791, -0.0306703, -0.288504, -0.0225382, -0.713322, -2.45822, 0.868366, 0.652181, 0.0978942, -0.100587, 0.353065, -1.00128, -0.361261),
    (-0.130116, 0.131763, 1.00419, 1.01275, 0.6573, -0.838204, -0.597309, -0.176839, 0.706817, 0.874338, 0.838433, 0.0824547, -0.147846, 0.0922052, 0.010183, 0.318776, -1.58482, 0.512389, -1.2197, -0.519528, -0.271963, -1.35279, -0.0300973, -1.09677, 0.189617, -0.0553535, -0.650087, 0.950684, -0.418329),
    (-0.911406, -0.399002, -0.320655, -0.453089, -1.23295, 0.837943, -0.303635, -0.481348, 0.1575, -0.0356001, 0.309115, -0.329469, 1.23853, 0.180559, 0.352184, -0.744891, 0.0571899, -0.282741, 0.43605, 0.0245993, 1.06957, 1.67453, 1.12132, 0.00494129, -1.17255, -0.138534, 1.1985, -0.0652035, 0.776431),
    (-0.488302, 0.935201, 0.257414, 0.330664, -0.232377, 0.22817, -0.0347295, -0.345985, 0.275563, -1.0258, -0.00151692, 0.080657, -0.194059, -0.443718, -0.681814, 0.265906, 0.517629, 0.779191, 0.266771, 0.727446, -0.00469528, 0.550467, -1.15552, 0.670398, -0.385067, 0.612, -0.307769, -0.856058, 1.00496),
    (-1.07631, 0.393941, 0.430175, -0.826655, 0.414846, -0.264463, 0.365465, -0.563404, 0.331858, -0.562399, 0.323477, -0.137558, 0.619871, 0.0300585, 1.13457, -0.42012, -0.305686, -0.640152, 0.549005, 0.463616, 0.831345, 1.18611, -0.92825, 0.625908, 0.689149, 0.731105, -0.135967, -0.968865, -0.0440131),
    (-1.73638, -0.575758, 0.147678, 0.259751, 0.45099, -0.160814, -0.762229, 1.20598, -0.575582, -0.30545, -0.227998, -0.342712, -0.893202, 0.161287, 0.0935444, 0.111309, -1.20623, 1.65779, 1.41322, -2.07986, 1.01725, -0.43786, 0.0211906, -0.263985, 0.635333, 0.348349, -0.116218, 0.506178, -0.440799),
    (1.04952, 0.152002, -1.18167, -1.09796, -0.12242, -0.214646, 0.809767, -0.328249, -0.268023, -0.494701, 0.55972, 0.421724, -0.513153, -0.134622, -0.866052, -0.0942326, 1.08574, -0.799796, -1.08688, 1.55146, -0.258091, -0.0235338, -0.162287, -0.118948, 0.0685549, 0.889777, -0.930821, 0.290943, -0.272734),
    (0.929827, 0.348224, 0.248615, -2.39642, 0.056775, 0.393413, -0.303027, 0.117169, 0.481064, 1.10778, -1.11776, -0.266148, -0.0415605, -1.50899, 0.912009, 0.37204, 1.56858, -0.192838, 0.0635264, 0.201504, -0.968775, 0.907388, 0.303088, -0.219553, -0.318345, -0.941793, -0.32641, 0.447467, 0.0262393),
)
BIAS: tuple[float, ...] = (-2.93344, -5.45685, 2.87818, 0.461743, -0.232579, 2.51633, 1.31815, -1.54917, 0.0126062, -1.69892, 1.47397, 3.00589, 0.204094)
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
