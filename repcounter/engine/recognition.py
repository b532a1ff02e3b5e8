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
MEAN: tuple[float, ...] = (-0.553392, 0.306154, 0.439408, 0.44682, 0.829265, 0.14203, 0.266498, 1.30627, 0.494276, 0.839666, 0.671447, 0.0625147, 0.996487, 0.116792, 0.896655, 0.184376, -0.326039, 0.139808, -0.472424, -0.131302, 0.531465, 0.00295, -0.00661024, -0.960937, -0.339627, 0.122689, 0.00842929, 1.74529, 1.03841)
SCALE: tuple[float, ...] = (0.239102, 0.273675, 0.35524, 0.383818, 0.123419, 0.10266, 0.275339, 0.310947, 0.219038, 0.187971, 0.299793, 0.132347, 0.163849, 0.0963397, 0.100632, 0.231287, 0.909321, 0.592855, 0.383157, 0.355206, 0.16292, 0.69473, 0.346811, 0.449997, 0.398646, 0.363503, 0.19136, 0.488954, 0.589967)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.135067, 0.00691627, 0.361552, 0.0282936, -0.297679, 0.627701, -0.222726, 0.0662048, 0.166015, -0.07535, -1.10693, -0.0570964, -0.940224, 0.645216, -0.992273, -0.217886, -0.695283, 0.0538708, -0.682584, 0.590332, -0.761154, -0.202301, 0.730464, -0.772994, 0.531106, -0.697006, 0.232873, 0.621339, 0.345109),
    (0.670931, -0.0182254, 0.356332, -0.112907, -0.249358, -0.122578, 0.272313, 0.365625, -0.154167, -0.509494, 0.570042, 0.105492, 0.0741442, 0.133277, -0.992809, 0.652051, 0.582422, 0.467979, 1.3704, 1.09731, 0.480143, -1.13585, 0.21158, 1.22155, 0.132643, -0.349, 0.250097, -0.722312, -0.0327394),
    (0.175791, -0.265511, -0.0813106, 0.501193, -0.0311655, 0.783339, -0.516116, 0.864981, -1.09318, -0.386163, 0.468155, -0.0303331, 0.693832, 1.01004, 0.841095, 0.0439535, -0.391468, 0.0866412, 1.19099, 0.00532838, 0.668878, -0.192342, -0.240138, 0.0249392, -0.100308, -0.128706, 0.612803, 0.400066, -0.38535),
    (0.646711, 0.0689372, -0.567315, 0.484739, -0.240931, -0.306679, 1.28891, -0.151322, -0.55238, 0.393757, 0.212675, 0.525656, 0.428368, 0.157283, -0.0294179, -0.0124698, -0.24284, -0.318024, -0.988799, -1.78242, 0.425911, 0.629476, -0.520403, 0.013165, -0.589678, -0.837957, -0.0700128, -0.0170566, 0.0118109),
    (-0.651684, -0.165974, -0.176369, -0.480829, 0.839431, -0.88569, -0.112936, -0.450516, 0.124695, 1.00687, -0.498312, 0.437338, -1.30616, -0.661501, 0.775709, -0.2345, -0.0119511, -0.265439, -0.62933, -0.225984, 0.196683, 0.223097, -0.0246308, -1.03714, 0.48017, -0.181874, -0.170773, 0.711134, 0.153072),
    (0.465927, -0.127069, 0.119621, 1.38901, 0.217141, -0.337804, -0.119845, 0.391064, 0.364725, 0.340802, 0.364093, -0.268576, 0.0260377, -0.737739, -0.329872, -0.326717, 0.486885, -0.243844, 0.29034, -0.321001, -1.22175, -0.673124, -0.0786366, 0.666807, -0.0147743, 0.406346, 0.539727, -0.714517, -0.0247467),
    (-0.265131, -0.248943, -0.175115, 0.965489, 0.424921, -0.393496, -0.220791, -0.4008, 0.103536, 0.71949, 0.708987, -0.217271, 0.944554, -0.954727, 0.296731, -0.213809, -0.138553, 0.295383, -0.308245, -0.638076, -0.962077, -0.50621, 0.124586, -0.74753, 0.163626, 0.0285249, -0.157632, 0.31691, -0.141668),
    (-0.75908, -0.182473, 0.0447686, -0.476374, -0.731667, 0.640756, -0.165968, -0.541643, 0.486231, 0.229935, 0.117246, -0.480914, 0.818544, -0.876807, 0.106013, -0.350649, 0.111357, -0.131173, 0.15067, -0.21474, 0.0257538, 0.716615, 0.441052, -0.185518, -0.714288, 0.205649, 0.301114, -0.124585, 0.0480229),
    (-0.188695, 0.457016, 0.308486, -0.386251, -0.1137, 0.292734, 0.152069, -0.513842, 0.845667, -0.826582, -0.552555, 0.429335, -0.3976, 0.0375517, -0.0427961, 0.463908, 0.852953, 0.499698, 0.0595103, 0.323556, 0.291267, 0.310064, -0.513896, 0.341352, -0.560955, -0.359793, -0.0901948, -0.535732, 0.508089),
    (-0.77901, 0.293608, 0.340175, -0.583375, 0.222249, -0.0678085, 0.260784, -0.424292, 0.43183, -0.402233, 0.283602, -0.117736, 0.515328, 0.310414, 0.89182, -0.2039, -0.2065, -0.546329, 0.408733, 0.296256, 0.647684, 0.506851, -0.768809, 0.50406, 0.325116, 0.394989, -0.0172417, -0.730897, -0.0102386),
    (-0.11189, -0.277637, -0.403311, -0.754707, 0.0525448, -0.181045, -0.680536, 0.627776, -0.203579, -0.039932, -0.762298, -0.904763, -0.533892, 0.440613, -0.0123972, 0.552491, -0.256097, 0.147832, -0.134562, -0.330305, 0.31483, 0.52698, 0.943687, -0.0490291, 0.409327, 0.830999, -0.935922, 0.446654, -0.2447),
    (0.661062, 0.459356, -0.127514, -0.574282, -0.0917855, -0.0494303, 0.0648428, 0.166765, -0.519391, -0.451101, 0.195299, 0.57887, -0.322931, 0.496377, -0.511803, -0.152473, -0.0909257, -0.0465953, -0.727123, 1.19974, -0.10617, -0.203252, -0.304856, 0.0203398, -0.0619838, 0.687827, -0.494837, 0.348996, -0.226662),
)
BIAS: tuple[float, ...] = (-2.25295, -1.50804, 2.50149, 1.22502, -3.17598, -0.100274, -1.62527, -0.303481, 2.09652, -0.256425, 0.750888, 2.64851)
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
