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
MEAN: tuple[float, ...] = (-0.619112, 0.215049, 0.349167, 0.61752, 0.829472, 0.14089, 0.177448, 1.26109, 0.554986, 0.838098, 0.596991, 0.059882, 1.01341, 0.107222, 0.905788, 0.156656, -0.764003, -0.138127, -0.520974, -0.148689, 0.507544, -0.245742, 0.116724, -1.09514, -0.254039, 0.154158, 0.0368311, 1.82168, 1.07364)
SCALE: tuple[float, ...] = (0.203448, 0.23664, 0.326366, 0.384315, 0.135779, 0.113198, 0.229221, 0.255377, 0.17873, 0.209597, 0.292439, 0.125668, 0.158525, 0.0918817, 0.0791969, 0.188433, 1.40798, 1.08416, 0.331313, 0.291173, 0.177832, 0.754072, 0.39279, 0.455593, 0.367068, 0.303857, 0.23732, 0.456895, 0.577123)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.138851, -0.107143, 0.478962, 0.265128, 0.121249, 0.208945, -0.127695, 0.114677, 0.120448, -0.977267, -1.11955, -0.157223, -0.7023, 0.899654, -1.24152, -0.0732608, -0.503633, -0.604511, -0.683681, 0.991522, -1.91128, 0.0658921, 0.668484, -1.01108, 0.471791, -0.662045, 0.709582, 0.596912, 0.545318),
    (1.09531, -0.384854, 0.390855, -0.267204, -0.410827, 0.050914, 0.235157, 0.70951, -0.405764, -0.511745, 0.82438, -0.0863737, 0.416147, -0.281328, -1.41764, 0.903323, 0.660004, 0.722427, 1.98858, 1.62852, 0.306879, -1.28135, 0.823477, 1.7114, -0.132285, 0.11449, 0.464635, -1.08245, -0.00927786),
    (-0.194786, -0.432808, -0.42198, 0.710898, 0.0152749, 0.968847, 0.236954, 1.47545, -1.49263, -0.43372, 0.593966, -0.819422, 1.55502, 0.591762, 0.477863, -0.0974293, -0.13361, 0.0492716, 1.37742, 0.383964, 0.323633, -0.00470649, 0.0212439, 0.0567014, -0.104503, 0.380553, 0.709152, 0.502349, -0.306252),
    (1.09348, -0.248523, -1.13676, 1.09749, -0.421628, -0.562977, 2.33605, -0.494809, -0.566576, 0.857058, 0.403382, 0.711563, 0.862311, -0.421193, 0.0520685, -0.441269, -0.222625, -0.18383, -1.19272, -2.84179, 0.265322, 0.990818, -1.12552, -0.1057, -0.904028, -1.60737, -0.0188828, -0.0120169, -0.0105568),
    (-0.467405, -0.197952, -0.495183, 0.0752506, 0.848239, -0.813098, -0.135612, -1.03289, 0.59608, 1.85506, -0.873886, 0.667737, -1.51424, 0.357575, 1.22807, 0.198166, -0.698114, -0.62004, -1.42297, -0.852332, 0.0849955, 0.257166, -0.495347, -1.034, 0.959732, 0.110756, -0.58276, 0.800364, -0.329218),
    (0.507637, 0.658179, 1.06246, 1.02149, -0.142886, 0.247145, -2.15409, 0.051086, 0.363786, 0.153706, -0.624152, -0.105589, -0.615785, -0.020213, 0.625933, -0.522412, 0.967669, 0.069056, -0.163016, 0.222687, -0.594693, -2.37071, 1.20516, 0.803215, -0.13067, -0.0485387, 0.188061, -1.10763, -0.342456),
    (-0.109536, 0.1949, 1.02894, 1.03517, 0.682043, -0.771609, -0.534713, 0.0127924, 0.619722, 0.953007, 0.798417, 0.0215298, -0.146282, -0.123551, 0.0916926, 0.352924, -1.50207, 0.418695, -1.22756, -0.621695, -0.507667, -1.20323, -0.162621, -1.25297, 0.411859, -0.000230374, -0.79191, 1.03141, -0.439683),
    (-0.970122, -0.369096, -0.229363, -1.07601, -1.24237, 0.99827, -0.291168, -0.503998, 0.178525, -0.177399, 0.258883, -0.429659, 1.38959, 0.0533579, 0.21794, -0.718628, 0.136175, -0.185126, 0.47536, 0.0697395, 0.89514, 1.63669, 0.930902, -0.0539383, -1.22876, -0.189136, 1.33363, -0.0649176, 0.720243),
    (-0.290283, 0.770785, 0.408845, -0.581955, -0.22194, 0.501449, -0.109804, -0.497813, 0.918437, -0.616068, -0.465641, 0.218624, -0.551493, -0.777064, -0.440641, 0.543144, 1.27514, 0.48355, 0.14358, 0.676232, 0.000287071, 0.915865, -0.634281, 0.546823, -0.809954, -0.14581, -0.309553, -0.798536, 1.07874),
    (-1.10573, 0.455099, 0.501155, -0.743653, 0.300464, -0.149465, 0.424502, -0.589311, 0.533067, -0.480122, 0.425135, -0.264572, 0.745794, -0.0399024, 1.21507, -0.299911, -0.221607, -0.563061, 0.644432, 0.486068, 0.775214, 1.15627, -0.936024, 0.651891, 0.508216, 0.715864, -0.0885057, -1.01536, -0.0115665),
    (-0.464017, -0.703498, -0.789579, -0.92769, 0.573118, -0.502183, -0.702592, 0.749417, -0.0903992, 0.0326075, -0.865149, -0.184026, -1.2909, -0.0950654, -0.161591, 0.308705, -0.176459, 0.516061, 0.786039, -1.78749, 0.753972, -0.0689984, -0.342143, -0.173996, 0.855083, 0.0674215, -0.799419, 0.792751, -0.534516),
    (0.766603, 0.364909, -0.798353, -0.608913, -0.100735, -0.17624, 0.823016, 0.00589377, -0.774695, -0.65512, 0.644219, 0.427412, -0.147852, -0.144031, -0.64725, -0.153353, 0.419126, -0.102493, -0.725469, 1.64459, -0.391806, -0.093696, 0.0466684, -0.138344, 0.103516, 1.26404, -0.814033, 0.357123, -0.36077),
)
BIAS: tuple[float, ...] = (-3.25027, -4.37713, 3.17306, 0.431355, -1.93836, 2.15658, 0.458808, -0.740607, 1.48509, -1.2274, 1.16629, 2.66258)
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
