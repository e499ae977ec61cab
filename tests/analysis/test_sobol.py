"""analysis/sobol.py against the Ishigami function, whose Sobol indices are known.

Ishigami (a = 7, b = 0.1, inputs uniform on [-pi, pi]; Saltelli et al. 2008, p. 179):
    V   = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
    S1  = (b pi^4/5 + b^2 pi^8/50 + 1/2) / V  ~ 0.3139
    S2  = (a^2/8) / V                          ~ 0.4424
    S3  = 0
    ST1 = S1 + (8 b^2 pi^8/225) / V            ~ 0.5576
    ST2 = S2, ST3 = (8 b^2 pi^8/225) / V       ~ 0.2437

test_vcsim_saltelli_design feeds the design that `vcsim sweep --dry-run` prints for
tests/scenarios/sweep/ishigami.toml through the function: the C++ Saltelli design and the
Python estimator checked together. Run with:  VCSIM=build/ci/vcsim /usr/bin/python3 -m
pytest tests/analysis/test_sobol.py
"""

import csv
import io
import math
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "analysis"))

import sobol  # noqa: E402

A, B = 7.0, 0.1
PI = math.pi
V = A**2 / 8 + B * PI**4 / 5 + B**2 * PI**8 / 18 + 0.5
V13 = 8 * B**2 * PI**8 / 225
FIRST = np.array([(B * PI**4 / 5 + B**2 * PI**8 / 50 + 0.5) / V, (A**2 / 8) / V, 0.0])
TOTAL = np.array([FIRST[0] + V13 / V, FIRST[1], V13 / V])
# With N = 8192 Sobol base samples the estimators land within about 0.01 of the truth;
# 0.03 leaves room without letting a wrong estimator (errors of 0.1 and more) pass.
TOLERANCE = 0.03


def ishigami(x):
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def check(result):
    np.testing.assert_allclose(result["first"], FIRST, atol=TOLERANCE)
    np.testing.assert_allclose(result["total"], TOTAL, atol=TOLERANCE)


def test_known_indices_from_a_saltelli_design_in_python():
    from scipy.stats import qmc

    n, k = 8192, 3
    u = qmc.Sobol(2 * k, scramble=False).random(n)
    x = -PI + 2 * PI * u
    a, b = x[:, :k], x[:, k:]
    ab = np.stack([np.where(np.arange(k) == i, b, a) for i in range(k)])
    check(sobol.indices(ishigami(a), ishigami(b), np.stack([ishigami(m) for m in ab])))


def test_estimator_can_fail():
    # A function of x2 alone: all its variance is x2's; Ishigami's values must not fit it.
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-PI, PI, (4096, 3)), rng.uniform(-PI, PI, (4096, 3))
    f = lambda x: np.sin(x[:, 1])  # noqa: E731
    ab = [np.where(np.arange(3) == i, b, a) for i in range(3)]
    result = sobol.indices(f(a), f(b), np.stack([f(m) for m in ab]))
    np.testing.assert_allclose(result["first"], [0, 1, 0], atol=0.05)
    with pytest.raises(AssertionError):
        check(result)


def test_design_order_and_missing_points():
    role = np.array([0, 1, 2, 0, 1, 2])
    sample = np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(ValueError):
        sobol.design_indices(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), role[:5], sample[:5])
    with pytest.raises(ValueError):
        sobol.indices(np.ones(3), np.ones(3), np.ones((1, 3)))  # no variance


@pytest.mark.skipif(not os.environ.get("VCSIM"), reason="needs VCSIM, the vcsim program")
def test_vcsim_saltelli_design():
    scenario = os.path.join(SOURCE, "tests", "scenarios", "sweep", "ishigami.toml")
    text = subprocess.run([os.environ["VCSIM"], "sweep", scenario, "--dry-run", "--yes"],
                          check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 8192 * 5
    x = np.array([[float(r["ishigami.x%d" % i]) for i in (1, 2, 3)] for r in rows])
    role = np.array([int(r["role"]) for r in rows])
    sample = np.array([int(r["sample"]) for r in rows])
    check(sobol.design_indices(ishigami(x), role, sample))
