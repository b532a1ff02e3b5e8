"""Building blocks of the session simulator (see :mod:`repcounter.sources.simulator`).

``rotations`` (numpy rotation helpers), ``kinematics`` (forearm pose per exercise), ``motion`` (continuous
time segments: reps, set-up, walk-away, rest), ``sensor`` (IMU model: noise, bias, mounting, rate),
``plan`` (set plans and the demo back workout), ``compare`` (simulated vs real signal statistics).
"""
