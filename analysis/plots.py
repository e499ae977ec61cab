"""Figures of vcsim runs. Each function returns a matplotlib Figure; `save` writes it as
PNG and SVG. Runs are loaded files (analysis.load); several runs share each panel, one
colour per run, so a policy shows against its counterfactual.

Bands show the spread across replications: the 10th to 90th percentile of the
replications' values, around their mean.
"""

import matplotlib

matplotlib.use("Agg")  # files only; no display needed (clusters, CI)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from . import sankey  # noqa: E402
from .headline import headline_figures  # noqa: E402

RUN_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
RUN_STYLES = ["-", "--", "-.", ":", "-", "--"]  # so that runs that coincide stay visible
BAND = (10, 90)  # percentiles across replications


def save(figure, stem, dpi=110):
    """Write `stem`.png and `stem`.svg; returns both paths."""
    paths = [str(stem) + ".png", str(stem) + ".svg"]
    for path in paths:
        figure.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return paths


def _years(run):
    start = int(run.attrs["start_year"])
    months = run["timeseries/month"].values
    return start + (months + 0.5) / 12.0


def _panels(count, columns=3, height=2.6):
    rows = (count + columns - 1) // columns
    columns = min(columns, count)
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, height * rows + 0.6),
                                squeeze=False, sharex=True)
    for ax in axes.flat[count:]:
        ax.set_visible(False)
    for ax in axes.flat:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
    return figure, list(axes.flat)


def _band(ax, x, per_replication, color, style, label):
    """Mean line and percentile band of an array (replication, x)."""
    ax.plot(x, per_replication.mean(axis=0), color=color, ls=style, lw=1.5, label=label)
    if per_replication.shape[0] > 1:
        low, high = np.percentile(per_replication, BAND, axis=0)
        ax.fill_between(x, low, high, color=color, alpha=0.2, lw=0)


def unicorns_over_time(runs, by="region"):
    """Unicorn stock (all definition) per `by` ("region" or "sector"), month by month."""
    other = "sector" if by == "region" else "region"
    labels = runs[0]["timeseries/unicorns_active"].coords[by]
    figure, axes = _panels(len(labels), columns=3 if by == "region" else 4)
    for ax, label in zip(axes, labels):
        for run, color, style in zip(runs, RUN_COLORS, RUN_STYLES):
            active = run["timeseries/unicorns_active"].sum(other).sel(**{by: label})
            _band(ax, _years(run), active.transpose("replication", "month").values, color,
                  style, run.name)
        ax.set_title(str(label), fontsize=10)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelbottom=True)
        ax.grid(alpha=0.3)
        ax.set_ylabel("unicorns alive")
    axes[0].legend(fontsize=8, loc="upper left")
    figure.suptitle("Unicorns alive by %s (mean; band: %d-%d%% of %d replications)"
                    % (by, BAND[0], BAND[1], runs[0].replications))
    figure.tight_layout()
    return figure


def _node_kind(node):
    return node.split(":", 1)[0]


KIND_COLORS = {"private_lps": "#1f77b4", "private_funds": "#1f77b4",
               "guidance_backed_funds": "#d62728", "guidance_fund": "#d62728",
               "grant_agencies": "#ff7f0e", "coinvestors": "#7f7f7f", "ipo_market": "#2ca02c",
               "acquirers": "#9467bd", "secondary_buyers": "#8c564b", "startups": "#17becf"}

# Where each kind of node stands when money goes in (investment) and comes back (returns).
INVESTMENT_COLUMNS = {"private_lps": 0, "guidance_fund": 0, "grant_agencies": 0,
                      "coinvestors": 0, "private_funds": 1, "guidance_backed_funds": 1,
                      "startups": 2, "gp_fees": 2}
RETURN_COLUMNS = {"ipo_market": 0, "acquirers": 0, "secondary_buyers": 0, "private_funds": 1,
                  "guidance_backed_funds": 1, "coinvestors": 2, "private_lps": 2,
                  "guidance_fund": 2, "gp_carry": 2}


def _decade_flows(run, decade):
    flows = run["yearly/capital_flows"]
    years = flows.coords["year"]
    chosen = [y for y in years if decade <= y < decade + 10]
    if not chosen:
        raise ValueError("%s: no year of the decade %d-%d in the run (%d-%d)"
                         % (run.path, decade, decade + 9, years[0], years[-1]))
    total = flows.sel(year=chosen).sum("year").mean("replication")
    return (sankey.matrix_flows(total.values, total.coords["source_node"],
                                total.coords["target_node"]), chosen,
            list(total.coords["source_node"]))


def capital_flow_sankey(run, decade):
    """Money moved in the ten years from `decade` (mean over replications), USD bn: how
    it goes into startups (left) and how exits pay it back (right; proceeds to founders
    left out, they dwarf the rest)."""
    flows, years, nodes = _decade_flows(run, decade)
    regional = ("private_lps", "private_funds", "guidance_backed_funds")
    order = lambda n: (n.split(":", 1)[1] if _node_kind(n) in regional else "~", nodes.index(n))
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 7.5))

    def columns(kinds):
        # regions together (CN's private and guidance-backed funds side by side), then
        # the matrix's node order
        placed = {n: kinds[_node_kind(n)] for n in sorted(nodes, key=order) if
                  _node_kind(n) in kinds}
        # keep only bands that go forward, left to right, in this direction's order
        return placed, {k: v for k, v in flows.items() if k[0] in placed and k[1] in placed
                        and placed[k[0]] < placed[k[1]]}

    def label(node, value):
        return "%s  %.1f" % (node.replace("_", " "), value / 1000.0)

    color = lambda node: KIND_COLORS.get(_node_kind(node), "#7f7f7f")
    for ax, kinds, title in ((left, INVESTMENT_COLUMNS, "Money in: investors \u2192 funds \u2192 "
                              "startups"),
                             (right, RETURN_COLUMNS, "Money back: exits \u2192 funds \u2192 "
                              "investors (founders\u2019 proceeds not shown)")):
        placed, chosen = columns(kinds)
        sankey.draw(ax, chosen, placed, color, label)
        ax.set_title(title, fontsize=11)
    figure.suptitle("%s: capital flows %d-%d, USD bn (mean of %d replications); node labels "
                    "show money through each node" % (run.name, years[0], years[-1],
                                                      run.replications))
    figure.tight_layout()
    return figure


def guidance_accounts(run):
    """Each guidance fund's committed, drawn and undrawn money by year (mean over
    replications), or None when the run has no guidance fund."""
    if "guidance/accounts" not in run:
        return None
    accounts = run["guidance/accounts"].mean("replication")
    funds = accounts.coords["guidance_fund"]
    years = accounts.coords["year"]
    figure, axes = _panels(len(funds), columns=min(2, len(funds)), height=3.0)
    styles = {"committed": ("#1f77b4", "-"), "drawn": ("#d62728", "-"),
              "undrawn": ("#7f7f7f", "--"), "direct_invested": ("#2ca02c", ":")}
    offered = accounts.sel(measure="offered")
    for ax, fund in zip(axes, funds):
        ax.set_title(str(fund), fontsize=10)
        if not (offered.sel(guidance_fund=fund).values > 0).any():
            ax.text(0.5, 0.5, "offered no money by %d" % years[-1], ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_yticks([])
            continue
        for measure, (color, style) in styles.items():
            values = accounts.sel(guidance_fund=fund, measure=measure).values / 1000.0
            ax.plot(years, values, color=color, ls=style, label=measure.replace("_", " "))
        ax.set_ylabel("USD bn, cumulative")
        ax.grid(alpha=0.3)
    drawn = [ax for ax in axes if ax.get_lines()]
    if drawn:
        drawn[0].legend(fontsize=8, loc="upper left")
    figure.suptitle("%s: guidance funds' accounts in December (mean of %d replications)"
                    % (run.name, run.replications))
    figure.tight_layout()
    return figure


def fund_returns(runs):
    """Distribution of funds' net TVPI by kind: liquidated funds, and funds still running
    valued at their NAV."""
    figure, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
    top = 5.0  # TVPI above it counts in the last bin
    bins = np.linspace(0, top, 51)
    for ax, (kind, title) in zip(axes, ((0, "private funds"), (1, "guidance-backed funds"))):
        for run, color in zip(runs, RUN_COLORS):
            funds = run.group("funds")
            chosen = (funds["kind"].values == kind) & (funds["paid_in"].values > 0)
            tvpi = funds["tvpi"].values[chosen]
            tvpi = tvpi[~np.isnan(tvpi)]
            median = np.median(tvpi) if len(tvpi) else np.nan
            tvpi = np.minimum(tvpi, top - 1e-9)
            if len(tvpi) == 0:
                continue
            weights = np.full(len(tvpi), 100.0 / len(tvpi))
            ax.hist(tvpi, bins=bins, weights=weights, histtype="step", lw=1.5, color=color,
                    label="%s (%d funds, median %.2f)" % (run.name, len(tvpi), median))
        ax.axvline(1.0, color="0.4", lw=0.8, ls="--")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("net TVPI (multiple of paid-in; 1 = money back; last bin: %g or more)"
                      % top)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
        else:
            ax.text(0.5, 0.5, "no such funds", ha="center", va="center", transform=ax.transAxes)
    axes[0].set_ylabel("share of funds, %")
    figure.suptitle("Fund returns: net TVPI of every fund with paid-in capital "
                    "(funds still running valued at NAV)")
    figure.tight_layout()
    return figure


def sweep_response(run, figure_name, parameter):
    """A headline figure (a name of analysis.headline.headline_figures) against a swept
    parameter: every replication as a dot, the mean over replications as a line."""
    design = run["design/values"]
    x = design.sel(parameter=parameter).values.astype(float)
    figures = {f.name: f for f in headline_figures(run)}
    if figure_name not in figures:
        raise KeyError("no headline figure %r (figures: %s)"
                       % (figure_name, ", ".join(figures)))
    chosen = figures[figure_name]
    if chosen.values is None:
        raise KeyError("%s: %s is %s" % (run.path, figure_name, chosen.note))
    values = chosen.values.transpose("point", "replication").values.astype(float)
    order = np.argsort(x)
    figure, ax = plt.subplots(figsize=(6.5, 4.2))
    reps = values.shape[1]
    ax.scatter(np.repeat(x, reps), values.reshape(-1), s=12, color=RUN_COLORS[0], alpha=0.4,
               label="one replication")
    ax.plot(x[order], np.nanmean(values, axis=1)[order], color=RUN_COLORS[1], lw=1.8,
            marker="o", label="mean of %d replications" % reps)
    ax.set_xlabel(parameter)
    ax.set_ylabel("%s (%s)" % (figure_name, chosen.units))
    ax.set_title("%s: %s against %s" % (run.name, figure_name, parameter), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    figure.tight_layout()
    return figure


def sobol_indices(table, title="Sobol indices"):
    """Bars of first-order (S1) and total (ST) Sobol indices per parameter, from a
    DataFrame with columns parameter, S1, ST and optionally S1_conf, ST_conf (half-widths
    of their confidence intervals), as analysis.sobol computes them."""
    table = table.sort_values("ST", ascending=True)
    y = np.arange(len(table))
    figure, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.6))
    bars = ((0.2, "S1", RUN_COLORS[0], "first order S1 (the parameter alone)"),
            (-0.2, "ST", RUN_COLORS[1], "total ST (with its interactions)"))
    for offset, column, color, label in bars:
        error = table[column + "_conf"] if column + "_conf" in table else None
        ax.barh(y + offset, table[column], height=0.38, xerr=error, color=color, label=label,
                capsize=3)
    ax.set_yticks(y, table["parameter"])
    ax.set_xlabel("share of the output's variance")
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    return figure
