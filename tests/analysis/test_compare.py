"""The paired comparison: known answers on edited copies of a tiny run, refusals."""

import math

import h5py
import numpy as np
import pytest

from analysis import ComparisonError, compare, format_table, load
from analysis.compare import paired_interval
from conftest import END_YEAR, REPLICATIONS, strip_classes

# Student's t quantiles t(0.95, df) from the printed tables, independent of scipy.
T95 = {2: 2.919986, 3: 2.353363}


def row(table, figure):
    found = table[table.figure == figure]
    assert len(found) == 1, "no row %r" % figure
    return found.iloc[0]


def test_paired_interval_is_the_t_interval_of_the_differences():
    mean, low, high, n = paired_interval([10, 10, 10, 10], [11, 12, 13, 14])
    half = T95[3] * np.std([1, 2, 3, 4], ddof=1) / 2
    assert (mean, n) == (2.5, 4)
    assert low == pytest.approx(2.5 - half, abs=1e-5) and high == pytest.approx(2.5 + half,
                                                                                abs=1e-5)


def test_pairs_with_a_missing_value_drop_out():
    mean, low, high, n = paired_interval([1, np.nan, 3], [2, 5, np.nan])
    assert (mean, n) == (1.0, 1) and math.isnan(low) and math.isnan(high)
    assert paired_interval([np.nan], [np.nan])[3] == 0


def test_a_run_against_itself_differs_by_exactly_zero(runs):
    table = compare(load(runs[0]), load(runs[0]))
    numeric = table[table.note == ""]
    assert len(numeric) > 20
    measured = numeric[numeric.n > 0]
    assert (measured.difference == 0).all() and (measured.base == measured.policy).all()
    # A figure that exists in one replication only has a difference but no interval.
    paired = measured[measured.n > 1]
    assert (paired.low == 0).all() and (paired.high == 0).all()
    assert measured[measured.n == 1].low.isna().all()


def test_a_known_shift_per_replication_gives_its_mean_and_interval(runs, copy_of):
    shift = np.array([1, 2, 3], dtype=np.int32)  # one per replication
    assert len(shift) == REPLICATIONS

    def add_unicorns(handle):
        december = handle["summary/unicorns_december"]
        values = december[()]
        values[:, -1, 0] += shift  # China, last year
        december[...] = values

    policy = load(copy_of(runs[0], add_unicorns))
    base = load(runs[0])
    table = compare(base, policy)
    cn = row(table, "unicorns %d CN" % END_YEAR)
    half = T95[2] * 1.0 / math.sqrt(3)  # sd of (1, 2, 3) is 1
    assert cn.difference == pytest.approx(2.0)
    assert cn.low == pytest.approx(2.0 - half, abs=1e-5)
    assert cn.high == pytest.approx(2.0 + half, abs=1e-5)
    assert cn.policy - cn.base == pytest.approx(2.0) and cn.n == 3
    assert row(table, "unicorns %d world" % END_YEAR).difference == pytest.approx(2.0)
    assert row(table, "unicorns %d US" % END_YEAR).difference == 0


def test_the_policy_run_moves_china_and_only_china(runs):
    """Doubling China's LP money raises its capital invested; the US and EU, whose
    startups draw the same numbers, are untouched."""
    table = compare(load(runs[0]), load(runs[1]))
    private = row(table, "capital invested private_funds")
    assert private.difference > 0, private
    for region in ("US", "EU"):
        assert row(table, "new unicorns %s" % region).difference == 0
    # Replication by replication: China's capital invested rises in each (by how much
    # varies: in this tiny world deals, not money, are scarce), the others' is equal.
    invested = []
    for path in runs:
        with h5py.File(path, "r") as handle:
            regions = list(handle["timeseries/region"].asstr()[()])
            invested.append(handle["summary/capital_invested_yearly"][()].sum(axis=(1, 3)))
    base, policy = invested
    cn = regions.index("CN")
    assert (policy[:, cn] > base[:, cn]).all(), (base[:, cn], policy[:, cn])
    others = [regions.index(r) for r in ("US", "EU")]
    assert (policy[:, others] == base[:, others]).all()


def test_headline_values_match_the_file(runs):
    base = load(runs[0])
    table = compare(base, base, years=[2010, END_YEAR])
    with h5py.File(runs[0], "r") as handle:
        invested = handle["summary/capital_invested_yearly"][()]  # rep, year, region, source
        active = handle["timeseries/unicorns_active"][()]  # rep, month, region, sector
        sectors = handle["timeseries/sector"].asstr()[()]
    assert row(table, "capital invested total").base == pytest.approx(
        invested.sum(axis=(1, 2, 3)).mean() / 1000)
    ai = list(sectors).index("ai")
    assert row(table, "unicorns 2010 ai").base == pytest.approx(
        active[:, 12 * 10 + 11, :, ai].sum(axis=1).mean())
    share = row(table, "deep-tech share of unicorns %d" % END_YEAR).base
    assert 0 <= share <= 100


def test_runs_that_cannot_be_paired_are_refused(runs, copy_of):
    base = load(runs[0])
    other_seed = load(copy_of(runs[0], lambda f: f.attrs.modify("seed", 99)))
    with pytest.raises(ComparisonError, match="seed differs"):
        compare(base, other_seed)
    fewer = load(copy_of(runs[0], lambda f: f.attrs.modify("replications", 2), name="r.h5"))
    with pytest.raises(ComparisonError, match="replications differs"):
        compare(base, fewer)


def test_class_rows_say_not_in_file_without_classes_and_use_them_when_present(runs, copy_of):
    plain = copy_of(runs[0], strip_classes, name="plain.h5")
    table = compare(load(plain), load(plain))
    assert row(table, "failure rate mixed").note.startswith("not in file")
    assert "not in file" in format_table(table)

    def add_classes(offset):
        def edit(handle):
            summary = handle["summary"]
            if "class" not in summary:
                classes = summary.create_dataset("class", data=["pure_private", "mixed",
                                                                "pure_state"],
                                                 dtype=h5py.string_dtype())
                classes.make_scale("class")
            outcomes = list(summary["outcome"].asstr()[()])
            counts = np.zeros((REPLICATIONS, 3, 3, len(outcomes)), dtype=np.int32)
            counts[:, :, :, outcomes.index("seeded")] = 100  # per region and class
            counts[:, :, 1, outcomes.index("failed")] = 30 + offset  # mixed
            counts[:, :, 1, outcomes.index("ipo")] = 5
            counts[:, :, 1, outcomes.index("acquired")] = 10
            data = summary.create_dataset("funnel_by_class", data=counts)
            for axis, dim in enumerate(("replication", "region", "class", "outcome")):
                data.dims[axis].attach_scale(summary[dim])
        return edit

    base = load(copy_of(plain, add_classes(0), name="b.h5"))
    policy = load(copy_of(plain, add_classes(np.array([[3], [6], [9]])), name="p.h5"))
    table = compare(base, policy)
    failure = row(table, "failure rate mixed")
    assert failure.base == pytest.approx(30.0) and failure.note == ""
    assert failure.difference == pytest.approx(6.0)  # 3 regions x (3, 6, 9) / 300 seeded
    assert row(table, "exit rate mixed").base == pytest.approx(15.0)
    assert row(table, "failure rate pure_state").base == 0
    assert row(table, "exit rate pure_private").difference == 0


def vcsim_compare(*args):
    from conftest import vcsim
    import subprocess
    return subprocess.run([vcsim(), "compare", *args], capture_output=True, text=True)


def assert_same_table(cpp_csv, python_table):
    import io
    import pandas as pd
    cpp = pd.read_csv(io.StringIO(cpp_csv), keep_default_na=False, na_values=["n/a"])
    assert list(cpp.figure) == list(python_table.figure)
    assert list(cpp.units) == list(python_table.units)
    assert list(cpp.note) == list(python_table.note)
    assert list(cpp.n) == list(python_table.n)
    for column in ("base", "policy", "difference", "low", "high"):
        np.testing.assert_allclose(cpp[column].astype(float), python_table[column],
                                   rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=column)


def test_vcsim_compare_prints_the_same_comparison_as_python(runs):
    done = vcsim_compare(*runs, "--csv", "--years", "2012,%d" % END_YEAR)
    assert done.returncode == 0, done.stderr
    assert_same_table(done.stdout, compare(load(runs[0]), load(runs[1]), [2012, END_YEAR]))
    table = vcsim_compare(*runs)
    assert table.returncode == 0 and "capital invested total" in table.stdout


def test_vcsim_compare_uses_startup_classes_when_present(runs, copy_of):
    def add_classes(handle):
        summary = handle["summary"]
        classes = summary.create_dataset("class", data=["pure_private", "mixed", "pure_state"],
                                         dtype=h5py.string_dtype())
        classes.make_scale("class")
        outcomes = list(summary["outcome"].asstr()[()])
        counts = np.random.default_rng(5).integers(1, 50, (REPLICATIONS, 3, 3, len(outcomes)))
        counts[..., outcomes.index("seeded")] = 100
        data = summary.create_dataset("funnel_by_class", data=counts.astype(np.int32))
        for axis, dim in enumerate(("replication", "region", "class", "outcome")):
            data.dims[axis].attach_scale(summary[dim])

    plain = copy_of(runs[0], strip_classes, name="plain.h5")
    with_classes = copy_of(plain, add_classes)
    done = vcsim_compare(plain, with_classes, "--csv")
    assert done.returncode == 0, done.stderr
    python = compare(load(plain), load(with_classes))
    assert row(python, "failure rate mixed").note.startswith("not in file")  # base lacks them
    assert_same_table(done.stdout, python)
    both = vcsim_compare(with_classes, with_classes, "--csv")
    python = compare(load(with_classes), load(with_classes))
    assert row(python, "exit rate pure_state").note == ""
    assert_same_table(both.stdout, python)


def test_vcsim_compare_refuses_unpaired_and_foreign_files(runs, copy_of, tmp_path):
    other = copy_of(runs[0], lambda f: f.attrs.modify("seed", 99))
    done = vcsim_compare(runs[0], other)
    assert done.returncode == 2 and "seed differs" in done.stderr and done.stdout == ""
    newer = copy_of(runs[0], lambda f: f.attrs.modify("format_version",
                                                     np.array([2, 0], dtype=np.int32)),
                    name="newer.h5")
    done = vcsim_compare(runs[0], newer)
    assert done.returncode == 2 and "not supported" in done.stderr
    done = vcsim_compare(runs[0], runs[1], "--years", "1990")
    assert done.returncode == 2 and "outside the run" in done.stderr
