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
MEAN: tuple[float, ...] = (-0.607961, 0.19204, 0.3163, 0.651856, 0.84682, 0.126333, 0.159045, 1.27367, 0.553662, 0.855442, 0.588587, 0.0623101, 0.998532, 0.104634, 0.910488, 0.142934, -0.778098, -0.142348, -0.534418, -0.151373, 0.491463, -0.307207, 0.0945623, -1.11338, -0.225123, 0.151956, 0.012036, 1.84497, 1.06421)
SCALE: tuple[float, ...] = (0.191044, 0.228501, 0.306469, 0.289588, 0.121825, 0.101545, 0.221353, 0.232371, 0.174758, 0.189299, 0.2863, 0.129064, 0.144075, 0.0893551, 0.0772743, 0.176478, 1.43704, 1.11971, 0.328295, 0.299305, 0.169383, 0.719029, 0.39263, 0.468612, 0.352172, 0.312171, 0.218554, 0.454123, 0.534966)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0620704, -0.0549812, 0.521248, 0.436235, 0.159046, 0.216121, -0.122389, 0.112897, 0.167398, -1.01973, -1.19104, -0.180664, -0.736025, 0.827661, -1.20624, 0.00676875, -0.56496, -0.581717, -0.658213, 0.966592, -1.77633, 0.135058, 0.660732, -0.965879, 0.343169, -0.689718, 0.739242, 0.600737, 0.444135),
    (1.20614, -0.606021, 0.313812, 0.0300559, -0.395179, 0.0202929, 0.274006, 0.683956, -0.596704, -0.733825, 0.974811, 0.0184392, 0.360893, -0.06839, -1.66093, 0.768015, 0.642534, 0.683035, 1.98608, 1.58863, 0.288454, -1.75691, 0.686707, 1.69608, -0.0796597, 0.388232, 0.353755, -1.12554, -0.128618),
    (-0.358258, -0.394655, -0.294821, 1.11864, -0.0217082, 0.761598, 0.359997, 1.24821, -1.39738, -0.302095, 0.446869, -0.8063, 1.42585, 0.760188, 0.435439, -0.13339, -0.381206, -0.108271, 1.07108, 0.385433, 0.57189, -0.218143, -0.10946, 0.0787813, -0.17715, 0.515862, 0.375096, 0.352465, -0.358239),
    (1.27103, -0.0985124, -1.28815, 0.9387, -0.321834, -0.615252, 2.45645, -0.597362, -0.44411, 0.87169, 0.276739, 0.725796, 0.772123, -0.355633, -0.0945864, -0.510503, -0.118377, -0.271409, -1.27034, -2.64875, 0.200331, 1.31514, -0.968633, -0.163772, -0.751252, -1.58072, -0.109156, 0.0409828, -0.0332999),
    (-0.26619, -0.221212, -0.592922, -0.332878, 0.70323, -0.627078, -0.166824, -0.758809, 0.856957, 1.33461, -0.655407, 0.670494, -1.31827, 0.304285, 1.01366, 0.264451, -0.540926, -0.725033, -1.26018, -0.639748, 0.0184523, 0.470889, -0.310799, -0.900424, 0.857919, 0.021059, -0.449362, 0.828663, -0.202432),
    (0.454041, 0.386506, 0.753577, 0.982647, -0.114219, 0.263548, -1.97241, -0.116605, 0.302775, 0.289312, -0.528701, 0.0589427, -0.569792, 0.155643, 0.552632, -0.20186, 0.82978, -0.0303092, -0.288326, -0.0217359, -0.715572, -2.45599, 0.869827, 0.652189, 0.0957425, -0.0999722, 0.351015, -1.00113, -0.359102),
    (-0.130124, 0.13118, 1.00504, 1.01499, 0.658485, -0.838479, -0.59834, -0.175511, 0.70888, 0.873497, 0.839284, 0.0822806, -0.14562, 0.0967221, 0.00768868, 0.319169, -1.58472, 0.510896, -1.22042, -0.520492, -0.272947, -1.35142, -0.0309698, -1.09645, 0.191964, -0.0546151, -0.649272, 0.951611, -0.420956),
    (-0.917048, -0.399287, -0.324153, -0.456707, -1.23158, 0.837315, -0.304226, -0.485281, 0.156221, -0.0379988, 0.304482, -0.322596, 1.23068, 0.185729, 0.364314, -0.749334, 0.0601003, -0.280818, 0.436479, 0.0222516, 1.06807, 1.68396, 1.12606, 0.00890333, -1.16937, -0.142049, 1.19996, -0.0719563, 0.79688),
    (-0.485996, 0.934111, 0.258452, 0.330588, -0.233796, 0.224903, -0.0356814, -0.344061, 0.278015, -1.02715, -0.00111162, 0.0802483, -0.193865, -0.451153, -0.683744, 0.266229, 0.517268, 0.778725, 0.265615, 0.73221, -0.00599407, 0.546458, -1.15824, 0.669681, -0.386442, 0.615812, -0.306242, -0.854624, 1.00527),
    (-1.07624, 0.394182, 0.431369, -0.827058, 0.414065, -0.262915, 0.365566, -0.562912, 0.330949, -0.562105, 0.323314, -0.136266, 0.622633, 0.0298305, 1.13341, -0.420193, -0.305606, -0.639011, 0.547793, 0.462914, 0.831035, 1.18639, -0.926853, 0.625501, 0.691589, 0.730268, -0.13419, -0.968539, -0.0435019),
    (-1.73772, -0.573947, 0.148732, 0.259018, 0.448724, -0.158388, -0.760751, 1.20751, -0.577042, -0.303791, -0.229205, -0.343742, -0.894269, 0.161065, 0.0927941, 0.112105, -1.20715, 1.65827, 1.4131, -2.08067, 1.0183, -0.437886, 0.0220776, -0.263926, 0.633344, 0.348368, -0.116501, 0.50666, -0.446149),
    (1.049, 0.153017, -1.18116, -1.09782, -0.123685, -0.214554, 0.810118, -0.328093, -0.268923, -0.493561, 0.557257, 0.421288, -0.51395, -0.137665, -0.865218, -0.0934274, 1.08486, -0.799604, -1.08654, 1.55187, -0.256917, -0.024984, -0.16223, -0.119683, 0.0674041, 0.890362, -0.928128, 0.292276, -0.277357),
    (0.929286, 0.34962, 0.248984, -2.39641, 0.058456, 0.392888, -0.305521, 0.116058, 0.482963, 1.11114, -1.11729, -0.26792, -0.0403818, -1.50828, 0.910785, 0.371971, 1.56841, -0.194752, 0.0638691, 0.201497, -0.968764, 0.907424, 0.301777, -0.221005, -0.317261, -0.94289, -0.326212, 0.448398, 0.0233724),
)
BIAS: tuple[float, ...] = (-2.91736, -5.47328, 2.87538, 0.458301, -0.212053, 2.53197, 1.33163, -1.59555, 0.00873119, -1.71468, 1.48979, 3.01713, 0.199987)
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
