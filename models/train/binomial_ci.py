"""Shared by the training/evaluation scripts here: the Wilson score interval of a proportion."""
import math


def wilson(k, n, z=1.96):
    """(k/n, low, high): the proportion k/n with its Wilson score interval; NaNs when n is 0."""
    if n == 0:
        return (float("nan"),) * 3
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return p, max(0.0, c - h), min(1.0, c + h)
