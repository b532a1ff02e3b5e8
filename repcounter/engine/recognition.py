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
MEAN: tuple[float, ...] = (-0.63596, 0.202504, 0.337933, 0.634557, 0.834897, 0.137339, 0.181955, 1.23737, 0.554422, 0.8709, 0.61534, 0.0591635, 1.02138, 0.0942127, 0.908523, 0.156253, -0.70602, -0.164036, -0.506417, -0.15982, 0.481352, -0.225846, 0.124844, -1.10513, -0.260048, 0.161362, 0.036953, 1.79769, 1.04613)
SCALE: tuple[float, ...] = (0.186001, 0.232974, 0.324859, 0.298871, 0.131922, 0.112169, 0.231996, 0.221548, 0.157828, 0.143193, 0.287402, 0.126186, 0.136393, 0.0668424, 0.0749218, 0.1875, 1.39378, 1.13222, 0.318722, 0.287261, 0.140825, 0.747575, 0.391102, 0.458966, 0.366232, 0.301038, 0.243656, 0.452245, 0.438916)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (-0.388296, -0.323189, -0.0802345, 0.537058, -0.172476, 0.609307, -0.176921, -0.568601, 0.753297, -0.74938, -0.423811, 0.724159, -0.0839558, -0.423678, -1.03259, -0.0490917, -0.636565, -0.545835, -0.530098, 0.193649, -1.40443, -0.543636, 0.359789, -0.805713, 0.151215, -0.0714847, 0.231487, 0.303192, -0.0964099),
    (1.33246, -0.308685, 0.594047, -0.0074616, -0.32813, 0.0159849, 0.229429, 1.11491, -0.23381, -0.0496916, 0.933883, 0.190763, 0.211059, 0.365282, -1.77581, 1.00511, 0.579718, 0.257236, 1.77431, 1.40532, -0.04215, -1.65543, 0.994835, 1.5233, 0.218093, -0.327203, 0.288781, -0.871255, -0.0725792),
    (-0.452129, 0.263593, -0.650193, 0.911261, 0.353999, 0.979027, 0.254722, 1.26878, -1.52675, -0.108557, 0.154593, -0.44329, 0.905344, 0.945817, 0.871701, 0.113587, -0.981046, 0.508281, 1.23528, 0.196031, 0.408086, 0.261626, -0.0648463, -0.0968087, 0.169571, 0.294134, 0.554909, 0.205868, -0.589357),
    (1.30613, -0.0467052, -1.10057, 0.955246, -0.238066, -0.58585, 2.1976, -0.498316, -0.493533, 0.742318, 0.286897, 0.654012, 0.713221, -0.034643, -0.11775, -0.416846, -0.0610424, -0.244548, -1.47523, -2.54444, 0.286243, 1.25286, -0.652974, -0.0196929, -0.843866, -2.03268, -0.325457, -0.0885308, 0.0580127),
    (-0.255242, -0.202917, -0.334567, -0.31583, 0.883572, -0.862727, -0.157439, -0.671001, 0.904542, 1.16369, -0.835057, 0.497519, -1.5473, 0.637, 1.32541, 0.227418, -0.669553, -0.308881, -0.813921, -0.348548, -0.344132, 0.525368, -0.128882, -0.748844, 0.810405, -0.127191, -0.390775, 0.58622, 0.238771),
    (0.36162, -0.238824, 0.289764, 0.949923, -0.178597, -0.00436122, -0.898539, 0.353088, 0.0760167, 0.323972, -0.0265201, -0.00465042, -0.0331777, -0.188154, -0.126001, -0.190302, 0.718098, -0.41902, -0.040415, -0.291832, -1.47424, -1.46474, 0.449768, 0.563974, 0.391972, 0.151497, 0.478545, -0.701414, 0.0392947),
    (-0.129037, 0.0441344, 0.570407, 0.782312, 0.332462, -0.453383, -0.449446, -0.579669, 0.477572, 0.670606, 0.543428, -0.276637, 0.255575, -0.163619, 0.030026, -0.0805335, -1.36411, 0.653089, -1.05417, -0.534788, 0.0110538, -1.36302, 0.0567854, -1.02855, -0.0140887, -0.00469247, -0.567639, 0.87573, 0.0449591),
    (-0.876152, -0.321222, -0.10484, -0.32832, -1.06128, 0.916842, -0.206709, -0.591975, 0.0227867, -0.149542, 0.313267, -0.238242, 1.10418, 0.0424297, 0.369523, -0.681069, 0.140851, -0.156679, 0.298256, -0.0257385, 1.09687, 1.57015, 0.912391, -0.182291, -0.841113, -0.173793, 1.25493, 0.0811762, 0.484868),
    (-0.309765, 0.591101, 0.476441, 0.214135, -0.254092, 0.0646564, -0.147432, -0.120835, 0.360009, -1.00427, 0.154503, -0.0803504, -0.308639, -0.351337, -0.886975, 0.250409, 0.682787, 0.12647, 0.426361, 0.92517, -0.12921, 0.0335854, -1.19687, 0.677126, -0.637068, 0.832812, -0.254744, -0.695119, 0.842319),
    (-1.03447, 0.380123, 0.444465, -0.803879, 0.47414, -0.3746, 0.316955, -0.585579, 0.325615, -0.698358, 0.394459, -0.201374, 0.554739, 0.164004, 1.02945, -0.482257, -0.404752, -0.727594, 0.639673, 0.58015, 0.819834, 1.18427, -1.02619, 0.608297, 0.638979, 0.734171, -0.0987099, -0.956478, -0.0858886),
    (-1.84758, -0.119267, 0.216376, 0.479229, 0.631995, -0.198349, -1.42423, 1.06002, -0.792212, -0.721232, -0.507391, -0.854728, -0.886664, 0.285196, 0.123574, -0.232706, -0.54715, 1.79213, 0.736512, -1.15211, 1.71274, -0.588951, 0.0272492, -0.176172, 0.377734, 1.18104, 0.0559558, 0.268744, -0.54364),
    (1.31373, -0.166148, -0.597119, -1.12639, -0.421388, -0.505047, 0.724368, -0.446283, -0.195796, -0.41932, 0.155032, 0.327771, -0.895874, 0.137111, -0.713688, 0.163501, 1.08076, -0.715878, -1.24615, 1.34716, -0.111219, -0.161495, -0.0964891, -0.0366933, -0.101658, 0.466777, -0.915226, 0.425731, -0.507221),
    (0.978738, 0.448006, 0.27602, -2.24728, -0.0221378, 0.3985, -0.262353, 0.265461, 0.322264, 0.999765, -1.14328, -0.294952, 0.0114955, -1.41541, 0.903133, 0.372774, 1.46201, -0.218774, 0.0495897, 0.249971, -0.829433, 0.949417, 0.365437, -0.27793, -0.320175, -0.923387, -0.312057, 0.566136, 0.186871),
)
BIAS: tuple[float, ...] = (-1.69675, -5.26603, 2.42177, 0.49098, -0.700636, 2.24795, 1.42341, -0.521445, 0.286083, -1.57155, -0.0951236, 2.54406, 0.437289)
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
