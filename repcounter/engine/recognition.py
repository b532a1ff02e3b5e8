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
MEAN: tuple[float, ...] = (-0.553081, 0.307139, 0.442307, 0.448048, 0.827717, 0.143692, 0.266419, 1.30693, 0.496802, 0.831988, 0.673078, 0.060323, 0.998424, 0.117395, 0.893985, 0.183649, -0.320957, 0.116781, -0.470823, -0.128612, 0.532154, 0.0121298, -0.0265431, -0.960426, -0.339471, 0.116264, 0.0143353, 1.74592, 1.00729)
SCALE: tuple[float, ...] = (0.240331, 0.273393, 0.355098, 0.383797, 0.125341, 0.105418, 0.275425, 0.313135, 0.212762, 0.199191, 0.29783, 0.130288, 0.148539, 0.0931833, 0.105469, 0.228746, 0.923693, 0.626274, 0.385342, 0.357164, 0.162269, 0.674655, 0.316388, 0.450951, 0.401676, 0.367897, 0.187947, 0.49159, 0.372016)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.152841, 0.0467444, 0.39306, 0.114969, -0.203169, 0.362469, -0.188139, 0.173252, -0.148219, -0.974257, -0.93846, -0.267217, -0.770358, 1.16685, -0.919883, -0.510863, -0.65864, -0.356479, -0.367822, 0.766187, -0.833031, -0.089257, 0.30547, -0.692874, 0.224101, -0.647201, 0.601511, 0.585844, 0.216581),
    (0.729152, -0.0442128, 0.361857, -0.166026, -0.297329, -0.0800289, 0.219303, 0.390398, -0.111188, -0.406145, 0.555586, 0.0186427, 0.139599, 0.127937, -0.982042, 0.642958, 0.596783, 0.595122, 1.40101, 1.21746, 0.49106, -1.02368, 0.534456, 1.18596, 0.153815, -0.31655, 0.223985, -0.673867, -0.0547037),
    (0.217514, -0.336239, -0.139265, 0.4914, -0.0819314, 0.728436, -0.431737, 1.00444, -1.14038, -0.35481, 0.498505, -0.518144, 0.80174, 0.916785, 0.684795, 0.157898, -0.0982373, 0.21393, 0.837724, 0.266367, 0.465113, -0.170482, 0.0628606, 0.0838313, -0.158477, -0.136925, 0.647522, 0.409779, -0.194722),
    (0.627889, 0.0754168, -0.583191, 0.525531, -0.197268, -0.315131, 1.37259, -0.230077, -0.585486, 0.442327, 0.115788, 0.517352, 0.430919, 0.0274097, -0.0172844, -0.0404121, -0.267309, -0.283813, -0.939581, -1.75376, 0.379664, 0.631925, -0.421896, -0.0564475, -0.568894, -0.761364, -0.0434609, -0.0128997, 0.0149263),
    (-0.693799, -0.186901, -0.207085, -0.461999, 0.841623, -0.898286, -0.118073, -0.482808, 0.140904, 1.00868, -0.554445, 0.544179, -1.36012, -0.709609, 0.74393, -0.186967, -0.0821473, -0.333323, -0.667433, -0.322174, 0.198953, 0.176466, -0.13603, -1.0573, 0.534729, -0.0170634, -0.284216, 0.701088, 0.0787559),
    (0.416602, -0.166265, 0.100016, 1.38615, 0.211595, -0.313077, -0.135087, 0.349843, 0.344439, 0.376436, 0.357686, -0.237602, -0.00388389, -0.762257, -0.329147, -0.301252, 0.499155, -0.208642, 0.271246, -0.360437, -1.23907, -0.72279, -0.113567, 0.660547, -0.0127695, 0.484068, 0.49878, -0.724983, -0.0455791),
    (-0.28302, -0.277407, -0.214809, 0.983127, 0.341656, -0.26585, -0.243712, -0.419957, 0.0557578, 0.782084, 0.632819, -0.083792, 0.90235, -1.08851, 0.155932, -0.215778, -0.245743, 0.174275, -0.403155, -0.669841, -0.985285, -0.515359, 0.109448, -0.755914, 0.185414, 0.132789, -0.295527, 0.318838, -0.107949),
    (-0.747688, -0.186464, 0.0880315, -0.455521, -0.791813, 0.69699, -0.165311, -0.533215, 0.473768, 0.441017, 0.175514, -0.449556, 0.871976, -0.994856, 0.052754, -0.250932, 0.0664783, -0.0888704, 0.115426, -0.223437, 0.0182179, 0.777334, 0.498393, -0.18413, -0.751986, 0.187501, 0.205122, -0.125302, 0.0923363),
    (-0.194315, 0.556927, 0.36241, -0.578279, -0.288483, 0.460006, 0.032846, -0.438427, 0.878471, -0.431853, -0.492942, 0.23407, -0.383243, 0.00526625, -0.194039, 0.638275, 0.69831, 0.468348, -0.0842705, 0.477968, 0.279438, 0.492077, -0.175484, 0.36403, -0.51448, -0.401073, -0.242618, -0.464763, 0.428795),
    (-0.756304, 0.278475, 0.343111, -0.592684, 0.220716, -0.0617803, 0.250383, -0.38896, 0.419333, -0.314864, 0.317017, -0.159201, 0.567796, 0.210189, 0.876143, -0.221843, -0.166933, -0.511905, 0.396922, 0.270988, 0.630176, 0.563068, -0.654091, 0.51553, 0.314919, 0.390601, -0.0423763, -0.725807, -0.0094888),
    (-0.0858332, -0.243351, -0.382223, -0.709639, 0.296221, -0.255346, -0.695613, 0.399085, 0.131063, -0.0818944, -0.837259, -0.0975184, -0.834825, 0.6752, 0.36344, 0.494785, -0.398781, 0.213713, 0.16582, -1.04373, 0.639637, 0.00618272, -0.0359793, -0.0649267, 0.631673, 0.302782, -0.75241, 0.446054, -0.0905306),
    (0.61696, 0.483277, -0.121913, -0.53703, -0.0518172, -0.0584015, 0.102553, 0.176432, -0.45846, -0.486723, 0.170191, 0.498787, -0.36195, 0.425593, -0.434598, -0.205869, 0.0570661, 0.117643, -0.725889, 1.37441, -0.044874, -0.125489, 0.0264194, 0.00169294, -0.0380429, 0.782435, -0.516311, 0.266017, -0.328421),
)
BIAS: tuple[float, ...] = (-3.11104, -1.32902, 2.62624, 1.26683, -3.24082, -0.0206393, -1.45803, -0.268601, 2.1658, -0.154283, 0.853332, 2.67021)
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
