"""repcounter: count reps and measure tempo from a wrist IMU."""

__version__ = "0.1.0"
