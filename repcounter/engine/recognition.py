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
MEAN: tuple[float, ...] = (-0.618338, 0.212909, 0.344814, 0.619722, 0.829096, 0.140866, 0.175845, 1.26219, 0.551375, 0.83631, 0.593961, 0.061126, 1.00898, 0.109855, 0.905026, 0.1571, -0.76942, -0.138026, -0.519994, -0.146244, 0.507268, -0.246502, 0.114632, -1.09478, -0.250053, 0.151078, 0.0347643, 1.82247, 1.08477)
SCALE: tuple[float, ...] = (0.2028, 0.234724, 0.322614, 0.382884, 0.13618, 0.11331, 0.22731, 0.253814, 0.18055, 0.21261, 0.29114, 0.126905, 0.160271, 0.0957983, 0.0791734, 0.188737, 1.4054, 1.07965, 0.332527, 0.291952, 0.17757, 0.753043, 0.392185, 0.456304, 0.363386, 0.304363, 0.235206, 0.458501, 0.594085)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0834036, -0.193942, 0.332461, 0.39552, 0.1239, 0.152328, -0.0965014, 0.232899, 0.0372194, -1.13532, -1.21455, -0.259068, -0.84499, 0.815589, -1.23254, -0.473804, -0.615301, -0.499923, -0.572966, 0.84163, -1.70321, 0.0310297, 0.565325, -0.922859, 0.337754, -0.648196, 0.639882, 0.548549, 0.575499),
    (1.06067, -0.439787, 0.401273, -0.234192, -0.37703, -0.0169432, 0.198996, 0.704578, -0.395462, -0.53155, 0.857761, -0.076441, 0.38437, -0.32224, -1.37131, 0.919796, 0.63416, 0.646471, 1.95888, 1.62354, 0.310979, -1.19534, 0.819647, 1.73548, -0.182622, 0.0551877, 0.477181, -1.11205, -0.0254203),
    (-0.122306, -0.522239, -0.387192, 0.748758, 0.0428613, 0.984901, 0.205004, 1.41022, -1.4999, -0.45596, 0.664912, -0.770681, 1.57209, 0.566329, 0.51139, -0.0952504, -0.0462071, 0.113973, 1.38823, 0.32199, 0.279737, -0.0741012, 0.071858, 0.0309141, -0.0903661, 0.285625, 0.788265, 0.551878, -0.350588),
    (1.11966, -0.296877, -1.20157, 1.10705, -0.428728, -0.569206, 2.3763, -0.545555, -0.563128, 0.906111, 0.407714, 0.727139, 0.870489, -0.486631, 0.0776939, -0.414224, -0.208045, -0.174158, -1.21726, -2.84932, 0.231473, 1.01425, -1.10906, -0.107379, -0.904978, -1.59178, -0.0397637, -0.0311208, -0.0298036),
    (-0.613144, 0.362045, -0.0944575, 0.0061676, 0.852138, -0.846764, -0.232816, -0.78683, 0.571554, 1.89458, -0.830738, 0.727956, -1.58691, 0.501448, 0.996977, 0.217568, -0.663881, -0.580006, -1.39735, -0.738754, 0.152259, 0.256842, -0.52958, -1.0773, 1.03516, 0.208415, -0.506659, 0.893289, -0.346898),
    (0.523405, 0.637607, 1.04903, 1.02521, -0.159208, 0.25619, -2.20185, 0.0408424, 0.346171, 0.20518, -0.66243, -0.133141, -0.61888, -0.0204221, 0.63737, -0.489011, 0.929588, -0.0268465, -0.169184, 0.215326, -0.676028, -2.36936, 1.1514, 0.818484, -0.13079, -0.0421386, 0.181184, -1.12563, -0.274111),
    (-0.0801105, 0.159607, 1.03644, 1.00027, 0.684435, -0.714731, -0.543046, -0.0438734, 0.601182, 0.904847, 0.883544, 0.0962509, -0.0450956, -0.114448, 0.0361262, 0.386696, -1.46304, 0.413404, -1.30518, -0.5514, -0.596771, -1.17392, -0.123107, -1.2911, 0.431522, 0.0115541, -0.761953, 1.05408, -0.454051),
    (-0.990313, -0.387669, -0.342533, -1.16472, -1.26528, 1.04735, -0.28063, -0.522082, 0.203638, -0.197983, 0.190721, -0.509091, 1.42861, 0.193521, 0.295162, -0.617595, 0.150383, -0.17951, 0.517576, 0.136246, 0.937761, 1.6098, 0.967914, -0.014072, -1.22102, -0.185386, 1.32952, -0.111837, 0.669889),
    (-0.291929, 0.824865, 0.285679, -0.629151, -0.225508, 0.572362, -0.0586972, -0.510847, 0.95097, -0.566752, -0.478742, 0.211863, -0.511487, -0.801226, -0.430493, 0.57864, 1.34757, 0.471484, 0.137724, 0.658895, -0.0253344, 0.870017, -0.611178, 0.509645, -0.699779, -0.157529, -0.37732, -0.770432, 1.121),
    (-1.10271, 0.450507, 0.480231, -0.748345, 0.304378, -0.150649, 0.426522, -0.594084, 0.548207, -0.454077, 0.407522, -0.246635, 0.770096, -0.0512041, 1.21727, -0.266693, -0.210114, -0.549459, 0.636814, 0.47504, 0.753069, 1.16007, -0.92902, 0.653554, 0.528366, 0.703781, -0.0995071, -1.01566, -0.0104637),
    (-0.415242, -0.802245, -0.835187, -0.947626, 0.548533, -0.473758, -0.659446, 0.713857, -0.0716325, 0.0700593, -0.839176, -0.208, -1.35191, -0.102473, -0.142781, 0.371506, -0.1653, 0.50526, 0.755018, -1.74209, 0.752514, -0.0837558, -0.302823, -0.193872, 0.825945, 0.0764881, -0.772652, 0.796886, -0.538334),
    (0.828623, 0.208129, -0.724171, -0.558945, -0.100488, -0.241081, 0.866164, -0.0991242, -0.728823, -0.639131, 0.61346, 0.439849, -0.066388, -0.178244, -0.594867, -0.117629, 0.310191, -0.140689, -0.732309, 1.6089, -0.416449, -0.045528, 0.0286202, -0.141488, 0.0708094, 1.28398, -0.858175, 0.322048, -0.336716),
)
BIAS: tuple[float, ...] = (-3.71887, -4.32933, 3.14117, 0.340464, -1.0753, 2.1548, 0.5015, -1.03002, 1.40846, -1.34945, 1.17943, 2.77715)
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
