"""Paired comparison of a policy run with its counterfactual (common random numbers).

Two runs of the same seed share every startup's own draws replication by replication,
so the difference policy - base in replication r carries far less noise than the
difference of two independent runs. `compare` takes that difference per replication for
each headline figure and reports its mean and a 90 % t interval:

    mean(d) +- t(0.95, n - 1) * sd(d) / sqrt(n)

over the n replications where both values exist (a fund TVPI with no liquidated fund is
NaN and drops out). The same table, computed in C++, is `vcsim compare`.
"""

import math

import numpy as np
import pandas as pd
from scipy import stats

from .headline import headline_figures

COLUMNS = ["figure", "units", "base", "policy", "difference", "low", "high", "n", "note"]
LEVEL = 0.90


class ComparisonError(ValueError):
    """The two runs cannot be paired."""


def check_paired(base, policy):
    """Refuse runs that do not share seed and replication count (and calendar)."""
    for run in (base, policy):
        if "design/values" in run:
            raise ComparisonError("%s is a sweep file; compare takes two run files (plot a "
                                  "sweep with analysis.plots.sweep_response)" % run.path)
    for key in ("seed", "replications", "start_year", "end_year"):
        if base.attrs.get(key) != policy.attrs.get(key):
            raise ComparisonError(
                "%s and %s cannot be paired: %s differs (%s vs %s); a paired comparison needs "
                "the same seed, replications and years in both runs"
                % (base.path, policy.path, key, base.attrs.get(key), policy.attrs.get(key)))


def paired_interval(base_values, policy_values, level=LEVEL):
    """(mean of policy - base, low, high, n) over the pairs where both exist."""
    d = np.asarray(policy_values, float) - np.asarray(base_values, float)
    d = d[~np.isnan(d)]
    n = len(d)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(d.mean())
    if n == 1:
        return mean, math.nan, math.nan, 1
    half = stats.t.ppf(0.5 + level / 2, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return mean, mean - half, mean + half, n


def _mean(values):
    values = np.asarray(values, float)
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else math.nan


def compare(base, policy, years=None):
    """The headline comparison as a DataFrame, one row per figure (COLUMNS).

    `base` and `policy` are loaded runs (analysis.load). Raises ComparisonError when they
    cannot be paired. A figure one file lacks has NaN values and a note saying so.
    """
    check_paired(base, policy)
    policy_figures = {f.name: f for f in headline_figures(policy, years)}
    rows = []
    for figure in headline_figures(base, years):
        other = policy_figures.get(figure.name)
        if figure.values is None or other is None or other.values is None:
            note = figure.note or (other.note if other else "") or "not in file"
            rows.append([figure.name, figure.units, math.nan, math.nan, math.nan, math.nan,
                         math.nan, 0, note])
            continue
        b = figure.values.transpose("replication").values
        p = other.values.transpose("replication").values
        rows.append([figure.name, figure.units, _mean(b), _mean(p), *paired_interval(b, p), ""])
    return pd.DataFrame(rows, columns=COLUMNS)


def format_table(table):
    """The comparison as aligned text, the way `vcsim compare` prints it."""
    def number(x):
        return "n/a" if math.isnan(x) else "%.2f" % x

    header = ("figure", "units", "base", "policy", "difference", "90% interval", "n")
    cells = [header]
    for row in table.itertuples(index=False):
        if row.note:
            continue
        interval = "n/a" if math.isnan(row.low) else "[%s, %s]" % (number(row.low),
                                                                  number(row.high))
        cells.append((row.figure, row.units, number(row.base), number(row.policy),
                      number(row.difference), interval, str(row.n)))
    widths = [max(len(line[c]) for line in cells) for c in range(len(header))]
    widths[0] = max(widths[0], max((len(f) for f in table.figure), default=0))
    by_name = {line[0]: line for line in cells}
    out = []
    for name, units, note in [header[:2] + ("",)] + list(
            zip(table.figure, table.units, table.note)):
        line = by_name.get(name)
        if note or line is None:
            out.append("  %-*s  %-*s  %s" % (widths[0], name, widths[1], units, note))
            continue
        text = ["%-*s" % (widths[0], line[0]), "%-*s" % (widths[1], line[1])]
        text += ["%*s" % (widths[c], line[c]) for c in range(2, len(header))]
        out.append("  " + "  ".join(text))
    return "\n".join(out) + "\n"
