#!/usr/bin/env python3
"""The startup-month kernel of vcsim (MODEL.md 3.3) written in NumPy as an economist would:
one vectorised pass over structure-of-arrays with masks, draws from NumPy's default
generator. It is the peer that bench_startup_kernel runs on the same machine in the same
run; it prints its rate as `agent_months_per_second X`.

    /usr/bin/python3 bench/peers/kernel_numpy.py [--startups N] [--repeat K]

The population is synthetic but shaped like vcsim's in 2025: 3 regions x 8 sectors with
their own constants, two deep-tech sectors, stages 0-5, founder quality and values
lognormal. Only alive startups count as agent-months, as in vcsim.
"""

import argparse
import time

import numpy as np

REGIONS, SECTORS = 3, 8
CELLS = REGIONS * SECTORS
ALIVE, FAILED, IPO, ACQUIRED = 0, 1, 2, 3
TAU_Q = 60.0
PREMILESTONE_CUT = 0.1
RUNWAY_MONTHS = 6.0
STAGE_A, STAGE_C = 2, 4


def monthly(annual):
    return 1.0 - np.exp(-annual / 12.0)


def cell_constants(rng):
    deep_tech = np.zeros((REGIONS, SECTORS), dtype=bool)
    deep_tech[:, [2, 5]] = True
    return {
        "deep_tech": deep_tech.ravel(),
        "p_milestone": np.full(CELLS, 1.0 / 48.0),
        "milestone_jump": np.full(CELLS, 1.0),
        "drift": rng.uniform(0.0, 0.1, CELLS),
        "volatility": rng.uniform(0.5, 0.9, CELLS),
        "quality_loading": np.full(CELLS, 0.3),
        "p_fail_before": monthly(rng.uniform(0.15, 0.25, CELLS)),
        "p_fail": monthly(rng.uniform(0.08, 0.15, CELLS)),
        "sentiment": rng.uniform(0.8, 1.2, CELLS),
        "ipo_bar": np.full(CELLS, 1000.0),
        "p_ipo": monthly(np.full(CELLS, 0.2)),
        "p_acquisition": monthly(np.full(CELLS, 0.05)),
    }


def population(n, month, rng):
    return {
        "cell": rng.integers(0, CELLS, n),
        "birth_month": month - rng.integers(0, 120, n),
        "log_q": rng.normal(0.0, 1.0, n),
        "stage": rng.integers(0, 6, n).astype(np.uint8),
        "log_f": rng.normal(2.0, 1.5, n),
        "cash": rng.uniform(0.0, 20.0, n),
        "burn": rng.uniform(0.05, 2.0, n),
        "milestone": rng.random(n) < 0.5,
        "status": np.where(rng.random(n) < 0.85, ALIVE, FAILED).astype(np.uint8),
        "outcome": np.zeros(n, dtype=np.uint8),
        "needs_funding": np.zeros(n, dtype=bool),
        "end_month": np.full(n, -1, dtype=np.int16),
    }


def step(s, k, month, rng):
    """One month of every alive startup: milestone, value step, burn, hazard, exits, flag."""
    n = s["log_f"].size
    c = s["cell"]
    alive = s["status"] == ALIVE
    deep = k["deep_tech"][c]

    reached = alive & deep & ~s["milestone"] & (rng.random(n) < k["p_milestone"][c])
    s["milestone"] |= reached
    s["log_f"] += np.where(reached, k["milestone_jump"][c], 0.0)

    before = deep & ~s["milestone"]
    age = month - s["birth_month"]
    mu = (k["drift"][c] + k["quality_loading"][c] * s["log_q"] * np.exp(-age / TAU_Q)
          - np.where(before, PREMILESTONE_CUT, 0.0))
    sigma = k["volatility"][c]
    shock = (mu - 0.5 * sigma**2) / 12.0 + sigma / np.sqrt(12.0) * rng.standard_normal(n)
    s["log_f"] += np.where(alive, shock, 0.0)
    s["cash"] -= np.where(alive, s["burn"], 0.0)

    p_fail = np.where(before, k["p_fail_before"][c], k["p_fail"][c])
    failed = alive & (rng.random(n) < p_fail)
    u_ipo, u_acquisition = rng.random(n), rng.random(n)
    listable = (s["stage"] >= STAGE_C) & (np.exp(s["log_f"]) * k["sentiment"][c] >= k["ipo_bar"][c])
    ipo = alive & ~failed & listable & (u_ipo < k["p_ipo"][c])
    acquired = alive & ~failed & ~ipo & (s["stage"] >= STAGE_A) & (u_acquisition < k["p_acquisition"][c])

    outcome = np.zeros(n, dtype=np.uint8)
    outcome[failed] = FAILED
    outcome[ipo] = IPO
    outcome[acquired] = ACQUIRED
    s["outcome"] = np.where(alive, outcome, s["outcome"])
    ended = outcome != ALIVE
    s["status"] = np.where(ended, outcome, s["status"])
    s["end_month"] = np.where(ended, month, s["end_month"]).astype(np.int16)
    s["needs_funding"] = alive & ~ended & (s["cash"] < RUNWAY_MONTHS * s["burn"])
    return int(alive.sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--startups", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(2025)
    constants = cell_constants(rng)
    start = population(args.startups, 300, rng)
    best = float("inf")
    agent_months = 0
    for _ in range(args.repeat):
        s = {name: column.copy() for name, column in start.items()}
        t0 = time.perf_counter()
        agent_months = step(s, constants, 300, rng)
        best = min(best, time.perf_counter() - t0)
    print(f"startups {args.startups} alive {agent_months} best_seconds {best:.6f}")
    print(f"agent_months_per_second {agent_months / best:.6e}")


if __name__ == "__main__":
    main()
