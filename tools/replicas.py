"""Statistics over replicas (runs that differ only in their random seeds), shared by
tools/ensemble_cycles.py and tools/compare_scans.py.

Uses Debian's python3 with python3-numpy and python3-scipy.
"""

import numpy as np

from cryocycle_files import InputError

CONFIDENCE = 0.95


def mean_interval(values):
    """(mean, standard error, half-width of the 95 % confidence interval) of N >= 2 independent
    values (one per replica): standard error s / sqrt(N) with s the sample standard deviation
    (ddof = 1), the half-width Student's t(0.975, N - 1) times it."""
    from scipy import stats

    values = np.asarray(values, dtype=float)
    stderr = values.std(ddof=1) / np.sqrt(values.size)
    return values.mean(), stderr, stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1) * stderr


def refuse_identical(paths, tables, what):
    """InputError if two of the tables (arrays of numbers, nan equal to nan) are the same: copies
    of one file, or runs with the same seeds, are not independent replicas (their spread is 0)."""
    for i in range(len(tables)):
        for j in range(i):
            if tables[i].shape == tables[j].shape and np.array_equal(tables[i], tables[j], equal_nan=True):
                raise InputError(f"{paths[i]} and {paths[j]} hold the same numbers: not independent replicas "
                                 f"(the same seeds, or a copy?); each {what} of a replica must come from its "
                                 "own seeds")
