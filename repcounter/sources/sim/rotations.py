"""Rotation helpers in plain numpy (rotation matrices act on column vectors, stacked as (n, 3, 3))."""

from __future__ import annotations

import numpy as np


def skew(v: np.ndarray) -> np.ndarray:
    """(..., 3) vectors -> (..., 3, 3) cross-product matrices."""
    v = np.asarray(v, dtype=float)
    z = np.zeros(v.shape[:-1])
    x, y, w = v[..., 0], v[..., 1], v[..., 2]
    return np.stack(
        [np.stack([z, -w, y], -1), np.stack([w, z, -x], -1), np.stack([-y, x, z], -1)], -2
    )


def exp_map(rotvec: np.ndarray) -> np.ndarray:
    """Rotation vectors (..., 3) in rad -> rotation matrices (..., 3, 3) (Rodrigues)."""
    rotvec = np.asarray(rotvec, dtype=float)
    theta = np.linalg.norm(rotvec, axis=-1)[..., None, None]
    k = skew(rotvec)
    small = theta < 1e-8
    safe = np.where(small, 1.0, theta)
    a = np.where(small, 1.0, np.sin(safe) / safe)
    b = np.where(small, 0.5, (1.0 - np.cos(safe)) / safe**2)
    eye = np.broadcast_to(np.eye(3), k.shape)
    return eye + a * k + b * (k @ k)


def log_map(r: np.ndarray) -> np.ndarray:
    """Rotation matrices (..., 3, 3) -> rotation vectors (..., 3) in rad."""
    r = np.asarray(r, dtype=float)
    cos = np.clip((np.trace(r, axis1=-2, axis2=-1) - 1.0) / 2.0, -1.0, 1.0)
    theta = np.arccos(cos)
    vee = np.stack([r[..., 2, 1] - r[..., 1, 2], r[..., 0, 2] - r[..., 2, 0], r[..., 1, 0] - r[..., 0, 1]], -1)
    sin = np.sin(theta)
    out = np.empty(r.shape[:-2] + (3,))
    normal = sin > 1e-6
    out[normal] = (theta[normal] / (2.0 * sin[normal]))[..., None] * vee[normal]
    tiny = (~normal) & (theta < 1.0)
    out[tiny] = 0.5 * vee[tiny]
    near_pi = (~normal) & (theta >= 1.0)
    if np.any(near_pi):
        rr = r[near_pi]
        axes = []
        for m in rr:
            b = (m + np.eye(3)) / 2.0
            col = int(np.argmax(np.diag(b)))
            axis = b[:, col] / np.sqrt(max(b[col, col], 1e-12))
            axes.append(axis * np.pi)
        out[near_pi] = np.array(axes)
    return out


def frame_from(u: np.ndarray, v_pref: np.ndarray) -> np.ndarray:
    """Right-handed frames (n, 3, 3) with columns u (unit), v (v_pref made orthogonal to u), u x v."""
    u = np.asarray(u, dtype=float)
    u = u / np.linalg.norm(u, axis=-1, keepdims=True)
    v = np.asarray(v_pref, dtype=float) - np.sum(v_pref * u, axis=-1, keepdims=True) * u
    v = v / np.linalg.norm(v, axis=-1, keepdims=True)
    w = np.cross(u, v)
    return np.stack([u, v, w], axis=-1)


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    """A uniformly random 3D rotation matrix."""
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def axis_angle(axis: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotations about a fixed unit axis (3,) by angles (n,) rad -> (n, 3, 3)."""
    axis = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    return exp_map(np.asarray(angle, dtype=float)[..., None] * axis)
