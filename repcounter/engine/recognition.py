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
MEAN: tuple[float, ...] = (-0.600925, 0.234855, 0.366873, 0.580027, 0.830403, 0.140122, 0.196785, 1.2751, 0.532669, 0.836354, 0.615899, 0.0618976, 1.00238, 0.111886, 0.903882, 0.158438, -0.62864, -0.0495552, -0.512525, -0.144858, 0.51212, -0.184998, 0.0776858, -1.06736, -0.27384, 0.14768, 0.0274133, 1.81065, 1.087)
SCALE: tuple[float, ...] = (0.212934, 0.247487, 0.332284, 0.391193, 0.133737, 0.111341, 0.242089, 0.268466, 0.192247, 0.211842, 0.292515, 0.131005, 0.158139, 0.0942623, 0.0845996, 0.194379, 1.27079, 0.896605, 0.348127, 0.304709, 0.171529, 0.724353, 0.372801, 0.461233, 0.370955, 0.317349, 0.223679, 0.466196, 0.572133)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0637747, -0.124766, 0.205267, 0.357203, 0.0222837, 0.195789, -0.112814, 0.262575, 0.0513661, -0.746308, -0.882434, -0.202929, -0.680826, 0.733477, -0.923345, -0.255955, -0.501029, -0.31902, -0.43884, 0.621413, -1.08415, 0.179338, 0.368523, -0.633582, 0.297147, -0.543241, 0.50995, 0.440625, 0.323305),
    (0.705742, -0.0477622, 0.399923, -0.187573, -0.237575, -0.023124, 0.258312, 0.433518, -0.128809, -0.330558, 0.625214, -0.0743044, 0.172308, -0.169933, -1.03654, 0.641191, 0.587564, 0.537564, 1.39899, 1.18673, 0.240715, -0.845281, 0.522341, 1.14179, 0.0327915, -0.211054, 0.203322, -0.760933, -0.0455265),
    (0.0998219, -0.313224, -0.202154, 0.579481, -0.0842766, 0.613336, -0.120798, 1.00484, -1.08903, -0.252858, 0.465883, -0.692969, 0.883182, 0.463141, 0.280275, 0.133163, -0.120691, 0.0804955, 0.964179, 0.214741, 0.150128, -0.025162, -0.102073, -0.00822028, -0.263362, 0.161281, 0.528045, 0.419137, -0.347293),
    (0.653141, -0.00716424, -0.622944, 0.656439, -0.114926, -0.375626, 1.4251, -0.267549, -0.538643, 0.514035, 0.185035, 0.455206, 0.445554, -0.207479, -0.0156657, -0.0847294, -0.124043, -0.186026, -0.845292, -1.80832, 0.188983, 0.737132, -0.562628, -0.0593731, -0.621118, -0.824792, -0.0638902, -0.0246041, -0.0261119),
    (-0.52193, -0.209148, -0.305763, -0.112106, 0.698448, -0.688963, -0.10603, -0.570022, 0.250196, 1.13429, -0.565086, 0.61224, -1.2099, -0.209839, 0.883653, -0.541681, -0.429438, -0.536112, -0.830098, -0.379957, -0.0116201, 0.0745167, -0.165244, -0.885088, 0.730037, 0.277133, -0.108195, 0.622473, 0.108562),
    (0.421508, 0.354993, 0.640435, 0.926205, 0.0105598, 0.0204118, -1.10871, 0.277688, 0.418795, 0.194003, -0.425287, 0.0242174, -0.476861, 0.0507964, 0.303244, -0.353946, 0.511719, -0.0542563, -0.109807, 0.103612, -0.533264, -1.70599, 0.664534, 0.655567, -0.0177537, 0.0159089, 0.174008, -0.745671, -0.190872),
    (-0.0628644, -0.0756524, 0.233494, 0.529603, 0.337399, -0.341251, -0.397621, -0.348138, 0.383559, 0.53955, 0.676328, -0.0401304, 0.479359, -0.581113, 0.141714, 0.314399, -1.01612, 0.173877, -0.827928, -0.513227, -0.250275, -0.868522, -0.0085281, -0.831631, 0.122635, 0.039288, -0.528511, 0.665597, -0.123996),
    (-0.741618, -0.193634, -0.150599, -0.750315, -0.966197, 0.791446, -0.136403, -0.454164, 0.169514, -0.107511, 0.0738543, -0.271325, 0.918091, -0.0046831, 0.191829, -0.372511, 0.130296, -0.142983, 0.352112, 0.0608104, 0.576143, 1.04809, 0.704947, -0.0383922, -0.861098, -0.119146, 0.844395, -0.108248, 0.456191),
    (-0.230773, 0.571291, 0.325709, -0.48393, -0.306332, 0.412548, 0.0913164, -0.432031, 0.688438, -0.267875, -0.384637, 0.183082, -0.227091, -0.427813, -0.256251, 0.506271, 0.983935, 0.483659, 0.101214, 0.299488, -0.0113241, 0.625039, -0.388793, 0.299211, -0.427953, -0.333014, -0.268613, -0.46451, 0.655864),
    (-0.756503, 0.342496, 0.361323, -0.55327, 0.224822, -0.0943536, 0.335016, -0.447362, 0.423498, -0.272559, 0.332904, -0.189432, 0.587774, 0.0188697, 0.883652, -0.172129, -0.13895, -0.430493, 0.427764, 0.287155, 0.443825, 0.701694, -0.628632, 0.470682, 0.323105, 0.440917, -0.0689494, -0.745358, -0.00427583),
    (-0.190873, -0.53732, -0.603773, -0.57569, 0.38728, -0.353249, -0.472829, 0.444943, -0.055821, -0.06131, -0.529164, -0.198926, -0.759315, 0.236834, 0.0740545, 0.389638, -0.053829, 0.362931, 0.391696, -1.26472, 0.554635, 0.0380183, -0.212163, -0.1067, 0.688019, 0.172311, -0.634626, 0.461891, -0.333132),
    (0.560573, 0.239892, -0.280918, -0.386048, 0.0285144, -0.156964, 0.345459, 0.0957, -0.573067, -0.342903, 0.427391, 0.395272, -0.132277, 0.0977417, -0.526622, -0.20371, 0.170589, 0.0303634, -0.583993, 1.19227, -0.263797, 0.0411357, -0.192284, -0.00426455, -0.00245048, 0.924407, -0.586936, 0.239601, -0.472715),
)
BIAS: tuple[float, ...] = (-2.69661, -2.86969, 2.44012, 0.65582, -1.84047, 1.35025, 0.40425, -0.681192, 1.11104, -0.840943, 0.98004, 1.98738)
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
