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
MEAN: tuple[float, ...] = (-0.623314, 0.209661, 0.342714, 0.626371, 0.831071, 0.139594, 0.177428, 1.25452, 0.55286, 0.847815, 0.599966, 0.0609368, 1.01283, 0.104973, 0.906128, 0.155793, -0.745065, -0.141567, -0.517598, -0.151477, 0.499998, -0.240908, 0.116015, -1.09999, -0.255095, 0.155072, 0.036595, 1.8175, 1.0708)
SCALE: tuple[float, ...] = (0.198353, 0.233609, 0.323174, 0.380671, 0.135029, 0.112728, 0.228673, 0.243648, 0.172218, 0.191422, 0.291226, 0.127626, 0.157485, 0.0889969, 0.0788818, 0.187966, 1.40486, 1.08913, 0.328089, 0.29189, 0.169143, 0.750845, 0.392348, 0.458561, 0.364905, 0.305005, 0.237763, 0.457403, 0.553709)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.154435, -0.084324, 0.488001, 0.218537, 0.0992889, 0.222547, -0.119429, 0.122049, 0.0719258, -0.984909, -1.12662, -0.167429, -0.713999, 0.839808, -1.22561, -0.0669351, -0.498934, -0.603999, -0.673619, 1.00578, -1.9089, 0.0810581, 0.682511, -0.995094, 0.437798, -0.663191, 0.709575, 0.612047, 0.540742),
    (1.09303, -0.383718, 0.402693, -0.269617, -0.413269, 0.0505286, 0.238408, 0.711111, -0.403503, -0.546764, 0.831487, -0.0904071, 0.412512, -0.290923, -1.4133, 0.898379, 0.666564, 0.711697, 2.00121, 1.62934, 0.301291, -1.2591, 0.813679, 1.69122, -0.120007, 0.126105, 0.464448, -1.09612, -0.0643414),
    (-0.224659, -0.41297, -0.393355, 0.678383, -0.00133418, 0.939862, 0.194533, 1.46851, -1.44607, -0.371013, 0.544729, -0.847557, 1.58544, 0.592632, 0.467794, -0.131429, -0.111085, 0.0261745, 1.36503, 0.412626, 0.328727, -0.0282691, 0.0484793, 0.0422583, -0.104138, 0.378338, 0.681827, 0.475205, -0.305941),
    (1.09135, -0.24655, -1.14871, 1.08094, -0.423738, -0.563724, 2.32021, -0.507673, -0.55338, 0.810692, 0.394927, 0.709762, 0.88614, -0.418574, 0.0413445, -0.464653, -0.230329, -0.185432, -1.20609, -2.83963, 0.281383, 0.991402, -1.11178, -0.109181, -0.908788, -1.61095, -0.0278982, -0.00548323, -0.0116946),
    (-0.471744, -0.191357, -0.482567, 0.0711879, 0.834773, -0.8005, -0.132343, -1.0426, 0.604925, 1.83905, -0.882947, 0.666908, -1.49717, 0.397026, 1.21283, 0.155894, -0.70033, -0.602648, -1.40564, -0.833438, 0.112745, 0.261449, -0.473641, -1.02034, 0.951532, 0.103328, -0.590221, 0.802928, -0.325095),
    (0.506133, 0.592731, 1.03626, 1.17319, -0.0921846, 0.319307, -2.01831, 0.0772106, 0.312771, 0.190993, -0.545283, -0.00510829, -0.655719, -0.00825676, 0.772081, -0.257541, 0.863476, 0.0822623, -0.136462, 0.111463, -0.773635, -2.33659, 1.03715, 0.761441, -0.060227, 0.0151069, 0.286702, -1.04981, -0.228585),
    (-0.119419, 0.197925, 1.03984, 1.04949, 0.676385, -0.768588, -0.542501, 0.00699543, 0.626596, 1.01731, 0.759058, 0.0258704, -0.183718, -0.0952044, 0.0680599, 0.355002, -1.50415, 0.429213, -1.2375, -0.605681, -0.449001, -1.23068, -0.154683, -1.22421, 0.402662, -0.0199328, -0.75989, 1.01998, -0.422186),
    (-0.961015, -0.375343, -0.225596, -1.08072, -1.25262, 0.993492, -0.297407, -0.489114, 0.201301, -0.158829, 0.254872, -0.440428, 1.42167, 0.0860825, 0.207429, -0.748669, 0.127301, -0.187412, 0.476945, 0.0725221, 0.92334, 1.60406, 0.933425, -0.0455341, -1.23938, -0.187596, 1.31523, -0.060466, 0.657767),
    (-0.265998, 0.770568, 0.389977, -0.589976, -0.211459, 0.486947, -0.121253, -0.497789, 0.916834, -0.611608, -0.450062, 0.204552, -0.567546, -0.770959, -0.462018, 0.513818, 1.28226, 0.487692, 0.151703, 0.67176, 0.0185459, 0.92364, -0.618359, 0.554082, -0.811423, -0.158267, -0.325378, -0.7951, 1.07882),
    (-1.09169, 0.45228, 0.501687, -0.752709, 0.304394, -0.153859, 0.416238, -0.582263, 0.537857, -0.492566, 0.435203, -0.273502, 0.723748, -0.0525905, 1.20094, -0.329535, -0.208362, -0.554482, 0.648743, 0.485051, 0.777305, 1.15872, -0.925989, 0.654503, 0.518011, 0.711519, -0.093127, -1.00859, -0.0304888),
    (-0.467062, -0.700154, -0.802822, -0.926008, 0.58827, -0.515983, -0.715287, 0.716074, -0.102971, 0.0062146, -0.860359, -0.201021, -1.27975, -0.106501, -0.188482, 0.276535, -0.148662, 0.513734, 0.759318, -1.79688, 0.748499, -0.0623177, -0.344896, -0.173869, 0.862008, 0.0691621, -0.826126, 0.775376, -0.530391),
    (0.756646, 0.380913, -0.805398, -0.652696, -0.108504, -0.21003, 0.777138, 0.0174841, -0.766285, -0.698575, 0.644997, 0.41836, -0.131615, -0.17254, -0.681074, -0.200867, 0.462247, -0.116799, -0.743644, 1.68708, -0.360295, -0.103376, 0.114114, -0.13528, 0.0719555, 1.23637, -0.83514, 0.330032, -0.35861),
)
BIAS: tuple[float, ...] = (-3.26241, -4.49078, 3.13726, 0.552507, -1.76112, 2.17996, 0.581576, -0.836154, 1.45011, -1.29091, 1.1342, 2.60578)
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
