#!/usr/bin/env python3
"""Sobol sensitivity indices from a Saltelli sweep (vcsim sweep with design = "saltelli").

    sobol.py SWEEP.h5 [--dataset summary/agent_months]

The design's points come in blocks, one per base sample j: A_j, AB_1j .. AB_kj, B_j
(/design/role gives 0 for A, i for AB_i, k + 1 for B; /design/sample gives j). With
f the model output at each point, V the variance of f over A and B together:

    first-order  S_i  = mean(f_B (f_ABi - f_A)) / V          (Saltelli et al. 2010, eq. b)
    total        ST_i = mean((f_A - f_ABi)^2) / (2 V)         (Jansen 1999)

`indices` takes the outputs as arrays; `design_indices` takes them in design order with
the role and sample of each point; `sweep_indices` reads a sweep file and reduces one
dataset to a number per point (by default: summed over every axis after `replication`,
then averaged over replications).

Needs numpy (and h5py to read files): Debian's /usr/bin/python3 has both.
"""

import argparse
import sys

import numpy as np


def indices(f_a, f_b, f_ab):
    """First-order and total indices from f(A) (n), f(B) (n) and f(AB_i) (k, n)."""
    f_a = np.asarray(f_a, dtype=float)
    f_b = np.asarray(f_b, dtype=float)
    f_ab = np.asarray(f_ab, dtype=float)
    if f_a.shape != f_b.shape or f_ab.ndim != 2 or f_ab.shape[1] != f_a.shape[0]:
        raise ValueError("expected f_a and f_b of shape (n,) and f_ab of shape (k, n)")
    variance = np.var(np.concatenate([f_a, f_b]))
    if not variance > 0:
        raise ValueError("the output does not vary over the design: indices undefined")
    first = np.mean(f_b * (f_ab - f_a), axis=1) / variance
    total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=1) / variance
    return {"first": first, "total": total}


def design_indices(outputs, role, sample):
    """Indices from outputs in any point order, with each point's role and sample."""
    outputs = np.asarray(outputs, dtype=float)
    role = np.asarray(role)
    sample = np.asarray(sample)
    k = int(role.max()) - 1
    n = int(sample.max()) + 1
    if k < 1 or outputs.shape != role.shape or role.shape != sample.shape:
        raise ValueError("expected one output, role and sample per point of a Saltelli design")
    table = np.full((k + 2, n), np.nan)
    table[role, sample] = outputs
    if np.isnan(table).any():
        raise ValueError("the design lacks points: every sample needs A, each AB_i and B")
    return indices(table[0], table[k + 1], table[1:k + 1])


def point_outputs(handle, dataset):
    """One number per point: `dataset` summed after its replication axis, then averaged
    over replications."""
    values = handle[dataset][()].astype(float)
    if values.ndim < 2:
        raise ValueError("%s: expected (point, replication, ...) dimensions" % dataset)
    per_replication = values.reshape(values.shape[0], values.shape[1], -1).sum(axis=2)
    return per_replication.mean(axis=1)


def sweep_indices(path, dataset="summary/agent_months"):
    """Indices of the parameters of the Saltelli sweep file at `path` for one dataset."""
    import h5py

    with h5py.File(path, "r") as f:
        if f.attrs.get("design") not in ("saltelli", b"saltelli"):
            raise ValueError("%s: expected a sweep file of a saltelli design" % path)
        names = [n.decode() if isinstance(n, bytes) else n for n in f["design/parameter"][()]]
        result = design_indices(point_outputs(f, dataset), f["design/role"][()],
                                f["design/sample"][()])
    result["parameters"] = names
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep")
    parser.add_argument("--dataset", default="summary/agent_months")
    args = parser.parse_args(argv)
    result = sweep_indices(args.sweep, args.dataset)
    print("%-40s %8s %8s" % ("parameter", "S_i", "ST_i"))
    for name, s, st in zip(result["parameters"], result["first"], result["total"]):
        print("%-40s %8.3f %8.3f" % (name, s, st))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
