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
MEAN: tuple[float, ...] = (-0.601209, 0.234755, 0.365608, 0.577287, 0.829905, 0.140278, 0.196641, 1.27651, 0.52997, 0.839341, 0.615797, 0.0611499, 0.999623, 0.112067, 0.903338, 0.156466, -0.683168, -0.0964174, -0.513003, -0.148129, 0.512817, -0.179261, 0.0903477, -1.06143, -0.272752, 0.147795, 0.0273248, 1.80528, 1.09961)
SCALE: tuple[float, ...] = (0.213027, 0.246794, 0.331926, 0.389468, 0.13419, 0.111348, 0.241504, 0.27069, 0.193251, 0.206657, 0.290808, 0.129367, 0.167193, 0.0937419, 0.0851894, 0.192275, 1.33654, 1.02233, 0.346304, 0.304235, 0.17265, 0.723042, 0.383072, 0.455193, 0.369841, 0.316512, 0.22356, 0.462373, 0.622419)
WEIGHTS: tuple[tuple[float, ...], ...] = (
    (0.0773206, -0.120024, 0.194151, 0.311247, 0.0350214, 0.167824, -0.115006, 0.239455, 0.0744852, -0.68582, -0.855463, -0.137717, -0.689891, 0.829863, -0.881556, -0.195467, -0.460356, -0.27631, -0.438802, 0.597592, -1.11119, 0.0953138, 0.331865, -0.664156, 0.355632, -0.565236, 0.57017, 0.469995, 0.335853),
    (0.740217, -0.0613982, 0.396001, -0.17993, -0.249656, -0.0159241, 0.249951, 0.43482, -0.124067, -0.324211, 0.631001, -0.087957, 0.173709, -0.178219, -1.04085, 0.679817, 0.544826, 0.438623, 1.40791, 1.19796, 0.268855, -0.831622, 0.53161, 1.16025, 0.0444368, -0.213921, 0.167978, -0.754215, -0.0537162),
    (0.119536, -0.296185, -0.189007, 0.602539, -0.0903385, 0.610593, -0.135078, 1.00222, -1.0621, -0.236588, 0.465889, -0.643577, 0.881476, 0.508114, 0.330848, 0.22143, -0.04443, 0.12682, 0.979302, 0.17258, 0.12602, -0.0427207, -0.131664, -0.0115956, -0.269951, 0.159709, 0.525427, 0.433552, -0.282315),
    (0.647202, -0.0142872, -0.623908, 0.667069, -0.130201, -0.361938, 1.43198, -0.266837, -0.53634, 0.510954, 0.190913, 0.481088, 0.442006, -0.194803, 0.00904357, -0.0348307, -0.103326, -0.168728, -0.822733, -1.80888, 0.178721, 0.749235, -0.566821, -0.0625852, -0.622005, -0.804402, -0.0569512, -0.0261502, -0.0328781),
    (-0.521295, -0.212609, -0.305878, -0.113105, 0.698956, -0.684804, -0.112709, -0.555803, 0.23895, 1.10197, -0.546574, 0.643687, -1.17768, -0.23518, 0.883388, -0.571496, -0.434268, -0.600684, -0.792632, -0.417637, 0.0383087, 0.0905885, -0.16148, -0.884512, 0.718099, 0.241972, -0.108304, 0.627715, 0.0598156),
    (0.281749, 0.329291, 0.414717, 0.883679, -0.00984469, -0.0664553, -0.977232, 0.497707, 0.277588, 0.235752, -0.411221, -0.0636089, -0.454906, -0.0504896, 0.113593, -0.951131, 0.343887, -0.0830985, -0.0751835, 0.0255318, -0.486659, -1.84417, 0.595753, 0.617934, -0.0393499, -0.0126739, 0.149355, -0.718417, 0.0115821),
    (-0.0863971, -0.0132654, 0.348149, 0.609266, 0.409804, -0.408113, -0.404158, -0.332894, 0.469634, 0.426738, 0.661592, -0.0574271, 0.466512, -0.713868, 0.0839643, 0.297865, -1.00757, 0.310664, -0.882332, -0.474468, -0.0693467, -0.817167, -0.0547745, -0.835098, 0.072256, 0.0649025, -0.580367, 0.643959, -0.221465),
    (-0.789918, -0.242729, -0.290386, -0.76166, -1.00596, 0.754463, -0.0480557, -0.431696, 0.154817, 0.0176677, 0.143935, -0.261079, 0.883609, 0.0224312, 0.267902, -0.196812, 0.287083, 0.108308, 0.383433, -0.071923, 0.330155, 1.11132, 0.703283, -0.0529292, -0.836629, -0.143505, 0.989472, -0.163122, 0.512669),
    (-0.16084, 0.553271, 0.491609, -0.557482, -0.286481, 0.536786, -0.0823411, -0.54936, 0.695086, -0.339899, -0.525466, 0.0679919, -0.226399, -0.461129, -0.358653, 0.5466, 0.784168, 0.0980183, 0.0219492, 0.554272, 0.0300787, 0.684957, -0.159559, 0.342467, -0.435169, -0.29113, -0.399288, -0.467266, 0.479043),
    (-0.782191, 0.344504, 0.361419, -0.565125, 0.222808, -0.0944437, 0.335883, -0.462074, 0.443521, -0.307565, 0.334627, -0.177311, 0.603473, -0.00986305, 0.879118, -0.142929, -0.181031, -0.440872, 0.435072, 0.291306, 0.461406, 0.721002, -0.60341, 0.483985, 0.329256, 0.443411, -0.0641106, -0.768021, 0.00156994),
    (-0.109933, -0.499301, -0.526028, -0.550899, 0.374915, -0.286749, -0.488177, 0.338425, -0.0631074, -0.0590305, -0.537009, -0.186053, -0.76688, 0.335377, 0.189391, 0.517911, 0.0120639, 0.418554, 0.340188, -1.21747, 0.501416, 0.0479217, -0.24154, -0.0893407, 0.681845, 0.20908, -0.633783, 0.474213, -0.347141),
    (0.58455, 0.232734, -0.270838, -0.345599, 0.0309805, -0.151239, 0.344941, 0.0860356, -0.568463, -0.339962, 0.447775, 0.421963, -0.135026, 0.147765, -0.476187, -0.170957, 0.258949, 0.0687054, -0.556177, 1.15114, -0.267769, 0.0353471, -0.243261, -0.00441617, 0.0015792, 0.911792, -0.559597, 0.247758, -0.463018),
)
BIAS: tuple[float, ...] = (-2.67555, -2.80745, 2.4516, 0.694607, -1.7996, 1.06492, 0.283297, -0.735653, 1.3592, -0.812213, 1.03052, 1.94631)
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
