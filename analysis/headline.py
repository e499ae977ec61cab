"""The headline figures of a run, one value per replication (and per sweep point).

Each figure reduces a dataset over every dimension but the leading `point` (in a
sweep) and `replication`, so the same code serves a run file and a sweep file. The
figures, their names and their units are those of `vcsim compare` (sim/io/comparison.cpp);
docs/analysis.md says what each means.
"""

import tomllib
from dataclasses import dataclass

import numpy as np

from .load import Labelled

CLASSES = ("pure_private", "mixed", "pure_state")
FUND_KINDS = {0: "private", 1: "guidance-backed"}


@dataclass
class Figure:
    name: str
    units: str
    values: Labelled = None  # dims (point,) replication; None when the file lacks the data
    note: str = ""  # why values is None


def _per_replication(array):
    """Keep only the sweep and replication dimensions (sum over every other)."""
    return array.sum([d for d in array.dims if d not in ("point", "replication")])


def _ratio(numerator, denominator, scale=1.0):
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(denominator.values > 0,
                          scale * numerator.values / np.where(denominator.values > 0,
                                                              denominator.values, 1), np.nan)
    return Labelled(values, numerator.dims, numerator.coords)


def december_month(run, year):
    start, end = int(run.attrs["start_year"]), int(run.attrs["end_year"])
    if not start <= year <= end:
        raise ValueError("year %d is outside the run's years %d-%d" % (year, start, end))
    return 12 * (year - start) + 11


def deep_tech_sectors(run):
    """Sectors the scenario marks deep_tech (from the scenario text stored in the file)."""
    sectors = tomllib.loads(run.attrs["scenario"]).get("sectors", {})
    return [name for name, table in sectors.items() if table.get("deep_tech", False)]


def unicorns_by_region(run, year):
    december = run["summary/unicorns_december"].sel(year=year)
    figures = [Figure("unicorns %d %s" % (year, region), "startups",
                      december.sel(region=region)) for region in december.coords["region"]]
    figures.append(Figure("unicorns %d world" % year, "startups", _per_replication(december)))
    return figures


def unicorns_by_sector(run, year):
    active = run["timeseries/unicorns_active"].isel(month=december_month(run, year)).sum("region")
    return [Figure("unicorns %d %s" % (year, sector), "startups", active.sel(sector=sector))
            for sector in active.coords["sector"]]


def new_unicorns(run):
    new = run["timeseries/unicorns_new"].sum(["month", "sector"])
    figures = [Figure("new unicorns %s" % region, "startups", new.sel(region=region))
               for region in new.coords["region"]]
    figures.append(Figure("new unicorns world", "startups", _per_replication(new)))
    return figures


def deep_tech_shares(run, year):
    deep = deep_tech_sectors(run)
    active = run["timeseries/unicorns_active"].isel(month=december_month(run, year))
    new = run["timeseries/unicorns_new"].sum("month")
    figures = []
    for label, array in (("deep-tech share of unicorns %d" % year, active),
                         ("deep-tech share of new unicorns", new)):
        by_sector = array.sum("region")
        figures.append(Figure(label, "%", _ratio(_per_replication(by_sector.sel(sector=deep)),
                                                 _per_replication(by_sector), 100.0)))
    return figures


def capital_by_source(run):
    invested = run["summary/capital_invested_yearly"].sum(["year", "region"])
    bn = lambda a: Labelled(a.values / 1000.0, a.dims, a.coords)  # USD m to USD bn
    figures = [Figure("capital invested %s" % source, "USD bn", bn(invested.sel(source=source)))
               for source in invested.coords["source"]]
    figures.append(Figure("capital invested total", "USD bn", bn(_per_replication(invested))))
    return figures


def private_per_state_dollar(run):
    name = "private per state dollar"
    if "guidance/accounts" not in run:
        return [Figure(name, "x", note="not in file (no guidance funds)")]
    accounts = run["guidance/accounts"].isel(year=-1).sum("guidance_fund")
    return [Figure(name, "x", _ratio(accounts.sel(measure="private_mobilised"),
                                     accounts.sel(measure="committed")))]


def class_rates(run):
    names = [("%s rate %s" % (rate, cls)) for cls in CLASSES for rate in ("failure", "exit")]
    if "summary/funnel_by_class" not in run:
        return [Figure(n, "%", note="not in file (format 1.3 adds startup classes)")
                for n in names]
    funnel = run["summary/funnel_by_class"].sum("region")
    figures = []
    for cls in CLASSES:
        counts = funnel.sel(**{"class": cls})
        seeded = counts.sel(outcome="seeded")
        exits = counts.sel(outcome=["ipo", "acquired"]).sum("outcome")
        figures.append(Figure("failure rate %s" % cls, "%",
                              _ratio(counts.sel(outcome="failed"), seeded, 100.0)))
        figures.append(Figure("exit rate %s" % cls, "%", _ratio(exits, seeded, 100.0)))
    return figures


def fund_tvpi_by_kind(run):
    """Mean net TVPI of the funds of each kind liquidated by the end, per replication."""
    funds = run.group("funds")
    keys = [k for k in ("point", "replication") if k in funds]
    like = run["summary/mean_fund_tvpi"]  # dims (point,) replication: the shape to fill
    figures = []
    for kind, label in FUND_KINDS.items():
        values = np.full(like.values.shape, np.nan)
        chosen = (funds["kind"].values == kind) & (funds["liquidated_month"].values >= 0)
        for index in np.ndindex(values.shape):
            rows = chosen.copy()
            for key, position in zip(keys, index):
                rows &= funds[key].values == like.coords[key][position]
            if rows.any():
                values[index] = funds["tvpi"].values[rows].mean()
        figures.append(Figure("fund TVPI %s" % label, "x",
                              Labelled(values, like.dims, like.coords)))
    return figures


def headline_figures(run, years=None):
    """Every headline figure of `run`; `years` for the counts (default: the last year)."""
    years = list(years) if years else [int(run.attrs["end_year"])]
    figures = []
    for year in years:
        december_month(run, year)  # a year outside the run is an error here, once
        figures += unicorns_by_region(run, year) + unicorns_by_sector(run, year)
    figures += new_unicorns(run)
    figures += deep_tech_shares(run, years[-1])
    figures += capital_by_source(run)
    figures += private_per_state_dollar(run)
    figures += class_rates(run)
    figures += fund_tvpi_by_kind(run)
    return figures
