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
MEAN: tuple[float, ...] = (-0.596971, 0.235166, 0.364684, 0.577175, 0.827422, 0.141156, 0.193828, 1.28025, 0.531439, 0.824089, 0.608097, 0.0606981, 1.00202, 0.117243, 0.900617, 0.161485, -0.648487, -0.0214993, -0.513202, -0.141163, 0.519385, -0.188738, 0.0589215, -1.06407, -0.269286, 0.142891, 0.0231205, 1.81546, 1.10138)
SCALE: tuple[float, ...] = (0.211915, 0.247145, 0.331909, 0.392556, 0.135658, 0.11, 0.239741, 0.267472, 0.198272, 0.221953, 0.29386, 0.127692, 0.160358, 0.100354, 0.0877647, 0.197598, 1.26898, 0.855156, 0.348255, 0.305034, 0.184855, 0.760228, 0.381357, 0.457495, 0.368072, 0.317897, 0.217874, 0.463164, 0.617199)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (-0.0111949, -0.151215, 0.251694, 0.345618, 0.0470296, 0.219554, -0.141821, 0.246203, 0.0919319, -0.636751, -0.817235, -0.23273, -0.654226, 0.794221, -0.985673, -0.278276, -0.414729, -0.485253, -0.446325, 0.602699, -1.1216, 0.0678533, 0.327686, -0.681271, 0.314587, -0.518906, 0.482193, 0.432051, 0.266124),
    (0.695097, -0.0771513, 0.383181, -0.149763, -0.25007, -0.0273596, 0.252605, 0.423788, -0.137759, -0.233326, 0.635457, -0.0661711, 0.190665, -0.201156, -1.02905, 0.633519, 0.60052, 0.528131, 1.41216, 1.17885, 0.266624, -0.794002, 0.488207, 1.1408, 0.0719873, -0.206956, 0.274142, -0.752366, -0.0377412),
    (0.044582, -0.381024, -0.173132, 0.681457, -0.013659, 0.61482, -0.0929002, 1.00946, -1.15877, -0.2816, 0.527731, -0.599473, 0.890017, 0.432703, 0.298209, 0.0992667, -0.0498149, 0.0204721, 0.956435, 0.211625, 0.214679, 0.0433491, -0.133091, 0.006432, -0.238665, 0.147011, 0.596391, 0.417056, -0.322898),
    (0.658946, -0.0382017, -0.647365, 0.66463, -0.113773, -0.382602, 1.41738, -0.228002, -0.573209, 0.526984, 0.181533, 0.467165, 0.435526, -0.215731, 0.0115227, -0.0619897, -0.102606, -0.181979, -0.841306, -1.80396, 0.189552, 0.67404, -0.565481, -0.054769, -0.646202, -0.833432, -0.0489291, -0.0114389, -0.0662937),
    (-0.423789, 0.125545, -0.119073, -0.150333, 0.631588, -0.562935, -0.186661, -0.864185, 0.471457, 0.840517, -0.538551, 0.594221, -1.21067, -0.172881, 0.94006, -0.722746, -0.914009, -0.114809, -0.971257, -0.398075, 0.175699, 0.110137, -0.503308, -0.773529, 0.708828, 0.360872, -0.27594, 0.600827, 0.0554315),
    (0.451236, 0.373306, 0.653219, 0.884551, 0.0276375, -0.00977625, -1.16164, 0.303422, 0.408502, 0.283182, -0.504531, -0.0886011, -0.394696, 0.121504, 0.397144, -0.138276, 0.556714, -0.057006, -0.085639, 0.171307, -0.575249, -1.73652, 0.782533, 0.67267, -0.012474, -0.000317293, 0.230379, -0.799918, -0.103171),
    (-0.0123588, -0.0561623, 0.353747, 0.580848, 0.412312, -0.410316, -0.436799, -0.371541, 0.399353, 0.43976, 0.805387, 0.075548, 0.380286, -0.432548, 0.108944, 0.233993, -0.913788, 0.195057, -0.870526, -0.492504, -0.274939, -0.765425, 0.0778311, -0.835846, 0.237111, -0.0123849, -0.599679, 0.660276, -0.0188149),
    (-0.74979, -0.217668, -0.170815, -0.723771, -0.979695, 0.74395, -0.160031, -0.387277, 0.101914, -0.11981, -0.0193194, -0.33591, 0.922149, -0.0566949, 0.140992, -0.377771, 0.155534, -0.170599, 0.356164, 0.0105228, 0.554634, 1.12942, 0.721086, -0.0257564, -0.904801, -0.109628, 0.891719, -0.106926, 0.586862),
    (-0.198746, 0.410862, 0.208546, -0.606782, -0.286637, 0.460682, 0.195644, -0.447649, 0.661293, -0.211919, -0.397287, 0.149826, -0.162713, -0.434716, -0.299809, 0.560774, 0.91904, 0.451269, 0.00858175, 0.338546, -0.0172385, 0.624679, -0.32611, 0.2431, -0.492294, -0.38312, -0.192255, -0.44443, 0.481487),
    (-0.763603, 0.310402, 0.335508, -0.552591, 0.234255, -0.102157, 0.313561, -0.43261, 0.424372, -0.242212, 0.321502, -0.172406, 0.581585, -0.00752554, 0.895545, -0.144136, -0.135331, -0.455086, 0.423799, 0.280822, 0.429794, 0.686144, -0.608518, 0.465824, 0.30648, 0.434249, -0.0449943, -0.733318, -0.00642385),
    (-0.208691, -0.496881, -0.701427, -0.622359, 0.276932, -0.410621, -0.433219, 0.529101, -0.080867, -0.094459, -0.599565, -0.200833, -0.816792, 0.124161, 0.0625471, 0.417689, 0.0128976, 0.263945, 0.575763, -1.27664, 0.462007, -0.0444414, -0.0865783, -0.0960038, 0.666398, 0.172392, -0.774988, 0.496297, -0.311168),
    (0.518312, 0.198189, -0.374082, -0.351506, 0.0140782, -0.13324, 0.433882, 0.219289, -0.608219, -0.270365, 0.404879, 0.409364, -0.161128, 0.0486649, -0.540434, -0.222048, 0.285572, 0.00585722, -0.517854, 1.17681, -0.303964, 0.00476626, -0.174258, -0.0616552, -0.0109556, 0.95022, -0.538038, 0.241891, -0.523394),
)
BIAS: tuple[float, ...] = (-2.47807, -2.92603, 2.36227, 0.498989, -1.2284, 1.26876, 0.280099, -0.770287, 0.987649, -0.939808, 1.04095, 1.90388)
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
