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
MEAN: tuple[float, ...] = (-0.569127, 0.309249, 0.436416, 0.443838, 0.826256, 0.145862, 0.269358, 1.28956, 0.49206, 0.827732, 0.650923, 0.0790938, 0.999936, 0.125977, 0.891537, 0.200015, -0.298244, 0.058664, -0.461404, -0.127692, 0.538878, 0.0189189, -0.015854, -0.956618, -0.354018, 0.108155, -0.00631125, 1.72893, 1.0196)
SCALE: tuple[float, ...] = (0.241554, 0.272018, 0.353672, 0.373411, 0.119557, 0.100034, 0.273469, 0.31139, 0.218295, 0.200636, 0.311659, 0.148951, 0.157986, 0.10143, 0.10591, 0.234755, 0.895401, 0.780772, 0.377908, 0.340792, 0.1771, 0.629074, 0.336679, 0.446382, 0.381909, 0.363092, 0.155085, 0.494697, 0.399641)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0787872, 0.144784, 0.444834, 0.308398, 0.0406486, 0.228116, -0.173587, 0.323924, 0.290317, -0.784689, -0.730533, -0.10131, -0.858248, 0.679332, -0.744981, -0.136131, -0.380351, -0.105331, -0.720305, 0.632962, -1.10685, 0.374363, 0.735258, -0.815545, 0.708439, -0.595177, -0.0171731, 0.601155, 0.491347),
    (0.766748, -0.0664612, 0.469443, -0.20241, -0.366661, -0.153082, 0.190364, 0.375875, -0.108445, -0.645148, 0.644574, -0.0555971, 0.0274419, 0.0482121, -1.11807, 0.532913, 0.657949, 0.64903, 1.34726, 1.22129, 0.720914, -0.893979, 0.438699, 1.18789, 0.272192, -0.315603, 0.140045, -0.589891, -0.126344),
    (0.495078, -0.562847, 0.112723, 0.268293, -0.268392, 0.593932, -0.379095, 0.84043, -1.23356, -0.141604, 0.315254, -0.416895, 0.817608, 0.811805, 0.423194, 0.270218, -0.655628, 0.487362, 0.943071, 0.515693, 0.349365, -0.0969462, 0.154283, -0.0137943, -0.374394, 0.369428, 0.663876, 0.58454, -0.345078),
    (0.694339, -0.00823326, -0.598125, 0.694442, -0.26435, -0.397512, 1.2351, -0.0219896, -0.422959, 0.374121, 0.140515, 0.199979, 0.264216, 0.288434, 0.243919, 0.136775, -0.192489, -0.242231, -0.791676, -1.69643, 0.495095, 0.625979, -0.185948, 0.18253, -0.617229, -0.751967, 0.138867, -0.0883705, 0.094811),
    (-0.660525, -0.162798, -0.173907, -0.516542, 0.880456, -0.924918, -0.0968126, -0.491806, 0.0617936, 1.0119, -0.598479, 0.429037, -1.3512, -0.743198, 0.731336, -0.273197, -0.0119486, -0.269663, -0.660849, -0.32702, 0.0978085, 0.129695, -0.153652, -1.05525, 0.539743, -0.0852318, -0.149219, 0.672072, 0.0907558),
    (0.392743, 0.0306709, -0.341266, 0.707344, -0.178171, 0.36666, 0.12814, 0.0921542, 0.548632, 0.866032, 0.0661632, 0.20202, 0.22504, -0.194407, -0.927284, 0.422577, 0.521765, -0.582552, -0.420147, -0.465486, -1.40181, -0.919464, -0.0624804, 0.557249, -0.255051, -0.20975, 0.198214, -0.704675, 0.338101),
    (-0.133645, -0.286814, -0.14385, 0.931871, 0.306734, -0.212117, -0.249287, -0.375999, -0.0160357, 0.751567, 0.562202, -0.25661, 0.753387, -1.13063, 0.0591243, -0.593076, -0.294412, 0.245691, -0.32124, -0.77915, -1.13513, -0.791075, -0.0115194, -0.60515, 0.241254, 0.101903, -0.0541242, 0.129001, -0.116589),
    (-1.21735, -0.19938, 0.115621, 0.25473, -0.293951, 0.187316, -0.227425, -0.780952, 0.480372, 0.503873, 0.389938, 0.332865, 0.646839, -0.775324, 0.204795, -0.0961051, 0.0454106, -0.250158, 0.382977, -0.126861, 0.178875, 1.01156, 0.0224399, 0.0398837, -1.14208, 0.152593, 0.278519, -0.449522, 0.241609),
    (0.0237397, 0.53172, 0.431895, -0.452279, -0.101261, 0.477388, 0.0787641, -0.420382, 0.618435, -1.03312, -0.559291, 0.0628395, -0.237988, -0.256194, -0.110241, 0.447491, 1.06307, 0.360766, 0.116829, 0.549466, 0.409608, 0.527575, -0.0103608, 0.176207, -0.362879, -0.378497, -0.11003, -0.274135, 0.0376469),
    (-0.796214, 0.259177, 0.388433, -0.693716, 0.238544, -0.123967, 0.222949, -0.379198, 0.533315, -0.457677, 0.384563, -0.273302, 0.557413, 0.148061, 0.865537, -0.2921, -0.284054, -0.585847, 0.406486, 0.271305, 0.649726, 0.422505, -0.533889, 0.493294, 0.324353, 0.336503, 0.0255647, -0.697588, -0.00386795),
    (-0.202322, -0.219956, -0.553186, -0.67257, 0.214376, 0.0721875, -0.697613, 0.542877, -0.0870932, -0.114843, -0.740128, -0.432619, -0.741627, 0.585395, 0.673489, 0.586664, -0.331787, 0.0291757, 0.226863, -0.950969, 0.73591, -0.0459662, -0.286782, -0.0788748, 0.694335, 0.581001, -0.65773, 0.501607, -0.434701),
    (0.558622, 0.540136, -0.152615, -0.627561, -0.207975, -0.114004, -0.0314993, 0.295066, -0.664772, -0.330408, 0.125221, 0.309593, -0.102882, 0.538511, -0.30082, -1.00603, -0.137524, 0.263758, -0.50927, 1.1552, 0.00649198, -0.344243, -0.106049, -0.068441, -0.02868, 0.794798, -0.456811, 0.315805, -0.267691),
)
BIAS: tuple[float, ...] = (-2.70937, -1.49006, 2.43698, 1.20509, -3.5024, 0.838997, -1.58695, -0.0229597, 2.27059, -0.174475, 0.623021, 2.11154)
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
