"""Strain by hand, for the tests of compute strain/atom: dump snapshots, the Green-Lagrange
strain and eta^Mises of a deformation gradient, and box matrices from thermo rows."""

import math


def read_snapshots(path):
    """Every snapshot of a dump custom file: [(step, {atom id: [values after the id]})]."""
    snapshots = []
    for block in path.read_text().split("ITEM: TIMESTEP")[1:]:
        lines = block.strip().splitlines()
        step = int(lines[0])
        start = next(k for k, line in enumerate(lines) if line.startswith("ITEM: ATOMS")) + 1
        rows = {}
        for line in lines[start:]:
            words = line.split()
            rows[int(words[0])] = [float(w) for w in words[1:]]
        snapshots.append((step, rows))
    return snapshots


def green_lagrange(F):
    E = [[0.0] * 3 for _ in range(3)]
    for r in range(3):
        for c in range(3):
            E[r][c] = 0.5 * (sum(F[k][r] * F[k][c] for k in range(3)) - (1.0 if r == c else 0.0))
    return E


def eta_mises(E):
    xy, xz, yz = E[0][0] - E[1][1], E[0][0] - E[2][2], E[1][1] - E[2][2]
    return math.sqrt(E[0][1] ** 2 + E[0][2] ** 2 + E[1][2] ** 2 + (xy * xy + xz * xz + yz * yz) / 6)


def box_matrix(rows):
    """H (columns = cell vectors) from a thermo row with lx ly lz xy xz yz."""
    return [[rows["Lx"], rows["Xy"], rows["Xz"]], [0.0, rows["Ly"], rows["Yz"]], [0.0, 0.0, rows["Lz"]]]


def matmul(a, b):
    return [[sum(a[r][k] * b[k][c] for k in range(3)) for c in range(3)] for r in range(3)]


def inverse_upper(h):
    """Inverse of an upper-triangular 3x3 matrix."""
    a, b, c = h[0][0], h[0][1], h[0][2]
    d, e, f = h[1][1], h[1][2], h[2][2]
    return [[1 / a, -b / (a * d), (b * e - c * d) / (a * d * f)], [0.0, 1 / d, -e / (d * f)],
            [0.0, 0.0, 1 / f]]
