"""A self-contained HTML report of one or more runs: the first is the base, each other a
policy compared with it. Images are embedded (PNG as base64), so the one file can be
mailed or opened anywhere; the figures are also written as PNG and SVG beside it.

Sections, each an element with the id shown: runs, comparison, unicorns-region,
unicorns-sector, capital-flows, guidance, fund-returns, sweep (sweep files only), sobol
(when a table of Sobol indices is given), appendix (the scenarios' texts).
"""

import base64
import html
import math
import os

import numpy as np
import pandas as pd

from . import plots
from .compare import compare
from .headline import headline_figures

SECTIONS = ["runs", "comparison", "unicorns-region", "unicorns-sector", "capital-flows",
            "guidance", "fund-returns", "appendix"]

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; font-size: .9em; }
td, th { padding: .2em .6em; border-bottom: 1px solid #eee; text-align: right; }
td:first-child, th:first-child, td:nth-child(2) { text-align: left; }
tr.significant td { background: #fff6d6; }
img { max-width: 100%; } pre { background: #f6f6f6; padding: 1em; overflow-x: auto;
font-size: .8em; } .note { color: #666; font-size: .9em; } td.note { text-align: left; }
"""


class Report:
    """Accumulates sections of HTML and the figures' files."""

    def __init__(self, directory):
        self.directory = directory
        self.figures = os.path.join(directory, "figures")
        os.makedirs(self.figures, exist_ok=True)
        self.parts = []

    def section(self, anchor, title, body):
        self.parts.append('<section id="%s">\n<h2>%s</h2>\n%s\n</section>'
                          % (anchor, html.escape(title), body))

    def image(self, figure, stem, caption):
        png, _svg = plots.save(figure, os.path.join(self.figures, stem))
        with open(png, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
        return ('<figure><img alt="%s" src="data:image/png;base64,%s">'
                '<figcaption class="note">%s</figcaption></figure>'
                % (html.escape(caption), data, html.escape(caption)))

    def html(self, title):
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<title>%s</title><style>%s</style></head><body>\n<h1>%s</h1>\n%s\n"
                "</body></html>\n" % (html.escape(title), STYLE, html.escape(title),
                                      "\n".join(self.parts)))


def _runs_table(runs):
    rows = "".join(
        "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s-%s</td><td>%s (%s)</td></tr>"
        % (html.escape(r.name), "base" if i == 0 else "policy", html.escape(r.path),
           r.attrs["seed"], r.attrs["start_year"], r.attrs["end_year"],
           html.escape(str(r.attrs["engine_version"])), html.escape(str(r.attrs["git_revision"])))
        for i, r in enumerate(runs))
    return ("<table><tr><th>scenario</th><th>role</th><th>file</th><th>seed</th><th>years</th>"
            "<th>engine</th></tr>%s</table><p class=\"note\">%d replications each.</p>"
            % (rows, runs[0].replications))


def _number(x):
    return "n/a" if math.isnan(x) else "%.2f" % x


def _comparison_html(table):
    """The comparison as an HTML table; rows whose interval excludes 0 are highlighted."""
    rows = []
    for row in table.itertuples(index=False):
        if row.note:
            rows.append("<tr><td>%s</td><td>%s</td><td colspan=\"5\" class=\"note\">%s</td></tr>"
                        % (html.escape(row.figure), html.escape(row.units),
                           html.escape(row.note)))
            continue
        significant = not math.isnan(row.low) and (row.low > 0 or row.high < 0)
        rows.append("<tr%s><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>[%s, %s]</td><td>%d</td></tr>"
                    % (' class="significant"' if significant else "", html.escape(row.figure),
                       html.escape(row.units), _number(row.base), _number(row.policy),
                       _number(row.difference), _number(row.low), _number(row.high), row.n))
    return ("<table><tr><th>figure</th><th>units</th><th>base</th><th>policy</th>"
            "<th>difference</th><th>90%% interval</th><th>n</th></tr>%s</table>"
            % "".join(rows))


def _base_html(run, years):
    """The headline figures of one run: the mean over replications (per sweep point)."""
    points = run["design/point"].values if "design/point" in run else None
    rows = []
    for figure in headline_figures(run, years):
        if figure.values is None:
            rows.append("<tr><td>%s</td><td>%s</td><td class=\"note\">%s</td></tr>"
                        % (html.escape(figure.name), figure.units, html.escape(figure.note)))
            continue
        means = np.atleast_1d(figure.values.mean("replication").values)
        rows.append("<tr><td>%s</td><td>%s</td>%s</tr>"
                    % (html.escape(figure.name), figure.units,
                       "".join("<td>%s</td>" % _number(float(m)) for m in means)))
    columns = ("<th>mean</th>" if points is None else
               "".join("<th>point %s</th>" % p for p in points))
    return ("<p>One run: its headline figures, mean over replications. Give policy files "
            "after the base to compare.</p><table><tr><th>figure</th><th>units</th>%s</tr>"
            "%s</table>" % (columns, "".join(rows)))


def default_decade(run):
    """The last decade that starts inside the run."""
    start, end = int(run.attrs["start_year"]), int(run.attrs["end_year"])
    return max(start, end // 10 * 10)


def build(paths_or_runs, directory, years=None, decade=None, sobol=None):
    """Write DIRECTORY/report.html (and figures/); returns the HTML file's path.

    `paths_or_runs`: the base first, then policies (loaded runs or file paths). Raises
    analysis.ComparisonError when a policy cannot be paired with the base.
    """
    from .load import load

    runs = [r if hasattr(r, "attrs") else load(r) for r in paths_or_runs]
    names = [run.name for run in runs]
    for run in runs:
        if names.count(run.name) > 1:  # tell runs apart in legends: add the file's name
            run.attrs["scenario_name"] = "%s (%s)" % (run.name, os.path.basename(run.path))
    base = runs[0]
    report = Report(directory)
    report.section("runs", "Runs", _runs_table(runs))

    body = []
    for policy in runs[1:]:
        table = compare(base, policy, years)
        table.to_csv(os.path.join(directory, "comparison_%d.csv" % runs.index(policy)),
                     index=False)
        body.append("<h3>%s minus %s</h3>%s" % (html.escape(policy.name),
                                                html.escape(base.name), _comparison_html(table)))
    if len(runs) == 1:
        body.append(_base_html(base, years))
    else:
        body.insert(0, "<p>Paired differences policy - base per replication (common random "
                       "numbers), their mean and 90 %% t interval over %d replications; "
                       "highlighted rows have an interval that excludes zero.</p>"
                    % base.replications)
    report.section("comparison", "Headline comparison", "\n".join(body))

    # Plots over time and per fund take run files; a sweep file shows as its responses.
    single = [run for run in runs if "design/values" not in run]
    only_sweeps = '<p class="note">Sweep files: see their responses below.</p>'
    for by in ("region", "sector"):
        report.section("unicorns-" + by, "Unicorns by " + by, report.image(
            plots.unicorns_over_time(single, by), "unicorns_by_" + by,
            "Unicorns alive (all definition) by %s, month by month." % by)
            if single else only_sweeps)

    decade = decade or default_decade(base)
    report.section("capital-flows", "Capital flows from %d" % decade, "\n".join(
        report.image(plots.capital_flow_sankey(run, decade), "capital_flows_%d" % i,
                     "%s: money moved in the decade from %d, USD bn." % (run.name, decade))
        for i, run in enumerate(single)) or only_sweeps)

    guidance = []
    for i, run in enumerate(single):
        figure = plots.guidance_accounts(run)
        guidance.append(report.image(figure, "guidance_%d" % i,
                                     "%s: guidance funds' cumulative accounts." % run.name)
                        if figure else "<p class=\"note\">%s has no guidance funds.</p>"
                        % html.escape(run.name))
    report.section("guidance", "Guidance funds", "\n".join(guidance) or only_sweeps)

    report.section("fund-returns", "Fund returns", report.image(
        plots.fund_returns(single), "fund_returns", "Distribution of funds' net TVPI by kind.")
        if single else only_sweeps)

    sweeps = [run for run in runs if "design/values" in run]
    if sweeps:
        body = []
        for i, run in enumerate(sweeps):
            name = "new unicorns world"
            for parameter in run["design/values"].coords["parameter"]:
                body.append(report.image(plots.sweep_response(run, name, str(parameter)),
                                         "response_%d_%s" % (i, _slug(parameter)),
                                         "%s: %s against %s." % (run.name, name, parameter)))
        report.section("sweep", "Sweep responses", "\n".join(body))

    if sobol is not None:
        table = sobol if isinstance(sobol, pd.DataFrame) else pd.read_csv(sobol)
        report.section("sobol", "Sobol indices", report.image(
            plots.sobol_indices(table), "sobol", "First-order and total Sobol indices."))

    report.section("appendix", "Appendix: scenarios", "\n".join(
        "<h3>%s</h3><pre>%s</pre>" % (html.escape(run.name), html.escape(run.attrs["scenario"]))
        for run in runs))

    path = os.path.join(directory, "report.html")
    title = "vcsim report: " + " vs ".join(run.name for run in runs)
    temporary = path + ".tmp.%d" % os.getpid()
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(report.html(title))
    os.replace(temporary, path)  # a report under its final name is always whole
    return path


def _slug(text):
    return "".join(c if c.isalnum() else "_" for c in str(text))
