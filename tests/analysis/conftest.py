"""Tiny runs of scenarios/small.toml for the analysis tests, made once per session.

Environment: VCSIM (the vcsim program) and VCSIM_SOURCE_DIR (the source tree), as CTest
sets them; the runs take a few seconds.
"""

import os
import shutil
import subprocess
import sys

import h5py
import pytest

SOURCE = os.environ.get("VCSIM_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
sys.path.insert(0, SOURCE)  # import the analysis package from the source tree

REPLICATIONS = 3
END_YEAR = 2016  # guidance funds start in 2014-15: the accounts have money in them
TINY = ["--set", "run.end_year=%d" % END_YEAR, "--set", "regions.CN.births=150",
        "--set", "regions.US.births=200", "--set", "regions.EU.births=100"]


def vcsim():
    program = os.environ.get("VCSIM")
    if not program:
        pytest.skip("VCSIM must name the vcsim program")
    return program


def run_vcsim(tmp, name, *extra):
    path = str(tmp / (name + ".h5"))
    subprocess.run([vcsim(), "run", os.path.join(SOURCE, "scenarios", "small.toml"), "-o", path,
                    "-q", "--replications", str(REPLICATIONS), "--threads", "2", *TINY, *extra],
                   check=True)
    return path


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """(base, policy): the policy doubles China's LP money, same seed."""
    tmp = tmp_path_factory.mktemp("runs")
    base = run_vcsim(tmp, "base")
    policy = run_vcsim(tmp, "policy", "--set", "regions.CN.lp_inflow=8000",
                       "--set", "name=\"cn_lp_boom\"")
    return base, policy


@pytest.fixture
def copy_of(tmp_path):
    """copy_of(path, edit): a copy of a run file, changed in place by edit(h5py.File)."""
    def make(path, edit, name="edited.h5"):
        target = str(tmp_path / name)
        shutil.copy(path, target)
        with h5py.File(target, "r+") as handle:
            edit(handle)
        return target
    return make


def strip_classes(handle):
    """An edit for copy_of: the file as format 1.2 wrote it, without startup classes."""
    for group, names in (("summary", ("funnel_by_class", "capital_by_class")),
                         ("cohorts", ("counts_by_class", "capital_by_class"))):
        for name in names:
            if name in handle[group]:
                del handle[group][name]
        for scale in ("class", "money"):
            if scale in handle[group]:
                del handle[group][scale]
