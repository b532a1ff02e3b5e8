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
MEAN: tuple[float, ...] = (-0.636263, 0.202294, 0.337547, 0.634747, 0.835362, 0.137073, 0.181798, 1.23721, 0.554582, 0.871463, 0.615069, 0.0591652, 1.02138, 0.0936262, 0.908919, 0.156012, -0.702117, -0.166151, -0.506415, -0.160096, 0.481143, -0.226403, 0.12553, -1.10558, -0.260726, 0.162042, 0.0362227, 1.7977, 1.04546)
SCALE: tuple[float, ...] = (0.186048, 0.232934, 0.324619, 0.298877, 0.131724, 0.112068, 0.231929, 0.221589, 0.157801, 0.142431, 0.287659, 0.126029, 0.136328, 0.0662286, 0.0748138, 0.187307, 1.39028, 1.13479, 0.318502, 0.287138, 0.140804, 0.746852, 0.389972, 0.459948, 0.367004, 0.300339, 0.243801, 0.452656, 0.439353)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (-0.381004, -0.3233, -0.0815717, 0.54061, -0.178486, 0.613684, -0.177582, -0.56755, 0.735649, -0.71949, -0.420276, 0.69835, -0.0681855, -0.40161, -1.04338, -0.0515226, -0.660285, -0.528603, -0.537655, 0.21929, -1.39344, -0.543774, 0.347216, -0.798804, 0.16516, -0.0828381, 0.237151, 0.305014, -0.115362),
    (1.31531, -0.294002, 0.506288, 0.0900793, -0.194899, -0.0738488, 0.289852, 1.04783, -0.326145, -0.272838, 0.847864, 0.155677, 0.152426, 0.256978, -1.86941, 0.956729, 0.451186, 0.235759, 1.74981, 1.47276, -0.0372602, -1.6338, 0.971099, 1.69577, 0.163037, -0.102291, 0.325815, -1.09471, -0.0750625),
    (-0.467606, 0.254032, -0.607931, 0.979715, 0.348753, 0.980171, 0.30385, 1.24792, -1.54452, -0.0853604, 0.203464, -0.425436, 0.891348, 0.941171, 0.837529, 0.116134, -1.03468, 0.502536, 1.21104, 0.236051, 0.45521, 0.365595, -0.140209, -0.12014, 0.256062, 0.348215, 0.59519, 0.226549, -0.610958),
    (1.31442, -0.0428981, -1.10014, 0.984403, -0.254673, -0.582594, 2.20647, -0.478557, -0.488136, 0.762153, 0.292881, 0.648562, 0.71836, -0.00366755, -0.127833, -0.407659, -0.0653157, -0.226702, -1.46275, -2.54882, 0.317843, 1.26567, -0.647614, -0.032308, -0.850194, -2.02955, -0.313564, -0.066567, 0.0572918),
    (-0.279695, -0.199574, -0.331819, -0.33017, 0.891845, -0.869064, -0.165162, -0.674204, 0.883215, 1.17004, -0.868762, 0.440454, -1.55348, 0.613037, 1.35746, 0.245956, -0.589778, -0.352098, -0.805914, -0.371971, -0.383907, 0.442634, -0.173683, -0.73652, 0.802683, -0.0844899, -0.459529, 0.557624, 0.255683),
    (0.350683, -0.23052, 0.284086, 0.895544, -0.220376, -0.00464463, -0.936464, 0.351898, 0.0829491, 0.304855, -0.0529032, -0.024422, -0.120766, -0.172132, -0.194122, -0.157242, 0.637375, -0.398299, -0.000894923, -0.376274, -1.51694, -1.47403, 0.410196, 0.502086, 0.402106, 0.167241, 0.558672, -0.650316, 0.0571689),
    (-0.127564, 0.0329836, 0.510051, 0.783564, 0.299486, -0.435621, -0.437253, -0.546538, 0.496548, 0.692787, 0.546211, -0.282971, 0.222048, -0.233918, 0.0309039, -0.0727562, -1.34218, 0.635176, -1.02729, -0.481297, 0.00187127, -1.35937, 0.0805777, -1.03277, 0.00700548, 0.0618385, -0.618854, 0.881557, 0.0619294),
    (-0.876358, -0.326522, -0.0983607, -0.323159, -1.04802, 0.914766, -0.212061, -0.59552, 0.0304645, -0.14583, 0.321567, -0.231626, 1.0995, 0.034199, 0.343314, -0.670236, 0.12989, -0.156831, 0.304511, 0.00181245, 1.10496, 1.55744, 0.902659, -0.180889, -0.874854, -0.172934, 1.23068, 0.0825838, 0.47432),
    (-0.314552, 0.595252, 0.516172, 0.129311, -0.31427, 0.0567566, -0.174862, -0.1041, 0.444135, -0.926751, 0.219053, -0.0654792, -0.283088, -0.249076, -0.859483, 0.274757, 0.73715, 0.126025, 0.440495, 0.878366, -0.13945, 0.0484752, -1.16373, 0.580824, -0.619939, 0.740149, -0.253301, -0.573716, 0.827897),
    (-1.01783, 0.384185, 0.446081, -0.814897, 0.474741, -0.371983, 0.320085, -0.576962, 0.350717, -0.668233, 0.386276, -0.205298, 0.555449, 0.177358, 1.03283, -0.480918, -0.398884, -0.720697, 0.645049, 0.587037, 0.825271, 1.17762, -1.03962, 0.600414, 0.635276, 0.721453, -0.097186, -0.941671, -0.0810174),
    (-1.80623, -0.11073, 0.197612, 0.364389, 0.652945, -0.135717, -1.46487, 1.08908, -0.805885, -0.719851, -0.532884, -0.726937, -0.755911, 0.28715, 0.307059, -0.287018, -0.453108, 1.81504, 0.661091, -1.22026, 1.65579, -0.662814, 0.221238, -0.165084, 0.297421, 0.844439, 0.0594682, 0.254792, -0.512253),
    (1.31818, -0.179785, -0.517081, -1.04048, -0.433404, -0.492802, 0.720362, -0.448953, -0.187956, -0.402405, 0.178428, 0.31261, -0.861095, 0.164535, -0.713089, 0.150458, 1.14256, -0.717633, -1.23123, 1.34487, -0.0777967, -0.12692, -0.100509, -0.039623, -0.0650867, 0.48963, -0.931253, 0.453023, -0.521995),
    (0.972254, 0.440878, 0.276611, -2.25891, -0.0236416, 0.400895, -0.272371, 0.255659, 0.328961, 1.01092, -1.12092, -0.293484, 0.00339988, -1.41403, 0.898222, 0.383318, 1.44607, -0.213671, 0.0537363, 0.258445, -0.812154, 0.943269, 0.332378, -0.272945, -0.318677, -0.900861, -0.333294, 0.565839, 0.182357),
)
BIAS: tuple[float, ...] = (-1.62709, -5.17627, 2.3724, 0.449353, -0.699504, 2.23451, 1.36699, -0.538142, 0.301407, -1.59652, -0.0282279, 2.52896, 0.412126)
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
    # mean of s[i] * nd[i + k] over the overlap, per lag k (one correlation instead of a product and a mean
    # per lag; the sums may differ from those in the last bit, so only a tie between two lags could change)
    full = np.correlate(nd, s, mode="full")[len(s) - 1 - lagmax:len(s) + lagmax]
    xc = full / (len(s) - np.abs(lags))
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
