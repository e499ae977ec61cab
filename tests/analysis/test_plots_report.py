"""Every plot function draws a non-empty image; the report holds every section; the
command line refuses bad input with exit code 2."""

import os
import re
import subprocess
import sys

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from analysis import load, plots, report
from conftest import SOURCE
from test_load import write_sweep_like


def assert_drawn(paths):
    png, svg = paths
    assert os.path.getsize(svg) > 5000 and open(svg).read().lstrip().startswith("<?xml")
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[0] > 200 and pixels.shape[1] > 300
    assert pixels[..., :3].std() > 0.05  # not a blank canvas


@pytest.fixture(scope="module")
def loaded(runs):
    return [load(path) for path in runs]


@pytest.mark.parametrize("by", ["region", "sector"])
def test_unicorns_over_time(loaded, tmp_path, by):
    assert_drawn(plots.save(plots.unicorns_over_time(loaded, by), tmp_path / by))


def test_capital_flow_sankey(loaded, tmp_path):
    assert_drawn(plots.save(plots.capital_flow_sankey(loaded[0], 2010), tmp_path / "sankey"))
    with pytest.raises(ValueError, match="no year of the decade 1980"):
        plots.capital_flow_sankey(loaded[0], 1980)


def test_guidance_accounts(loaded, tmp_path):
    assert_drawn(plots.save(plots.guidance_accounts(loaded[0]), tmp_path / "guidance"))


def test_fund_returns(loaded, tmp_path):
    assert_drawn(plots.save(plots.fund_returns(loaded), tmp_path / "funds"))


def test_sweep_response(runs, tmp_path):
    sweep = load(write_sweep_like(tmp_path / "sweep.h5", runs[0]))
    figure = plots.sweep_response(sweep, "new unicorns world", "regions.CN.ipo_rate")
    x, y = figure.axes[0].get_lines()[0].get_data()  # the mean line, in parameter order
    np.testing.assert_allclose(x, [0.1, 0.2, 0.3])
    assert y[2] - y[0] > 0  # point p adds p new unicorns a month in every cell
    assert_drawn(plots.save(figure, tmp_path / "response"))


def test_sobol_indices(tmp_path):
    table = pd.DataFrame({"parameter": ["a", "b", "c"], "S1": [0.5, 0.2, 0.05],
                          "ST": [0.6, 0.3, 0.1], "S1_conf": [0.05] * 3, "ST_conf": [0.04] * 3})
    assert_drawn(plots.save(plots.sobol_indices(table), tmp_path / "sobol"))
    assert_drawn(plots.save(plots.sobol_indices(table[["parameter", "S1", "ST"]]),
                            tmp_path / "sobol_plain"))


def test_report_has_every_section_with_embedded_images(loaded, tmp_path):
    sobol = pd.DataFrame({"parameter": ["a", "b"], "S1": [0.5, 0.2], "ST": [0.6, 0.3]})
    path = report.build(loaded, str(tmp_path), sobol=sobol)
    text = open(path, encoding="utf-8").read()
    for section in report.SECTIONS + ["sobol"]:
        assert 'id="%s"' % section in text, section
    assert len(re.findall(r'src="data:image/png;base64,', text)) >= 7
    assert "cn_lp_boom minus small" in text
    assert "unicorns 2016 CN" in text and "failure rate pure_private" in text
    assert text.count("[regions.CN]") == 2  # both scenarios' texts in the appendix
    assert "lp_inflow = 8000" in text  # the policy's change shows in its scenario text
    assert os.path.exists(tmp_path / "figures" / "capital_flows_1.svg")


def test_command_line_compare_and_refusals(runs, copy_of, tmp_path, capsys):
    from analysis.__main__ import main

    done = subprocess.run([sys.executable, "-m", "analysis", "compare", *runs], cwd=SOURCE,
                          capture_output=True, text=True)  # the module runs as a program
    assert done.returncode == 0, done.stderr
    assert "capital invested total" in done.stdout and "90% interval" in done.stdout
    other = copy_of(runs[0], lambda f: f.attrs.modify("seed", 7))
    capsys.readouterr()
    assert main(["report", runs[0], other, "-o", str(tmp_path / "r")]) == 2
    assert "seed differs" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "r" / "report.html")
    assert main(["compare", runs[0], str(tmp_path / "none.h5")]) == 2
    assert "none.h5" in capsys.readouterr().err
    assert main(["compare", runs[0], runs[1], "--years", "1990"]) == 2
    assert "outside the run" in capsys.readouterr().err
    assert main(["check", runs[0]]) == 0
    assert "flow identity holds" in capsys.readouterr().out


def test_report_of_a_sweep_has_its_responses(runs, tmp_path):
    sweep = write_sweep_like(tmp_path / "sweep.h5", runs[0])
    path = report.build([sweep], str(tmp_path / "out"))
    text = open(path, encoding="utf-8").read()
    assert 'id="sweep"' in text and "<th>point 2</th>" in text
    assert "new unicorns world against regions.CN.ipo_rate" in text
    assert "new unicorns world against market.x" in text
