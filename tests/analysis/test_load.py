"""load: named dimensions, selection by label, refusal of unknown formats, sweep files."""

import h5py
import numpy as np
import pytest

from analysis import FormatError, load
from analysis.headline import headline_figures
from conftest import END_YEAR, REPLICATIONS


def test_datasets_come_with_named_dimensions_and_labels(runs):
    run = load(runs[0])
    december = run["summary/unicorns_december"]
    assert december.dims == ("replication", "year", "region")
    assert list(december.coords["region"]) == ["CN", "EU", "US"]
    assert december.coords["year"][-1] == END_YEAR
    assert list(december.coords["replication"]) == list(range(REPLICATIONS))
    assert december.attrs["units"] == "startups"
    flows = run["yearly/capital_flows"]
    assert flows.dims == ("replication", "year", "source_node", "target_node")
    assert "private_lps:CN" in flows.coords["source_node"]


def test_selection_and_reduction_by_name_match_numpy(runs):
    run = load(runs[0])
    active = run["timeseries/unicorns_active"]  # replication, month, region, sector
    with h5py.File(runs[0], "r") as handle:
        raw = handle["timeseries/unicorns_active"][()]
    cn = active.sel(region="CN").sum("sector")
    np.testing.assert_array_equal(cn.values, raw[:, :, 0, :].sum(axis=2))
    assert cn.dims == ("replication", "month")
    pair = active.sel(sector=["ai", "biotech"])
    assert pair.dims == active.dims and pair.values.shape[3] == 2
    series = run["summary/unicorns_december"].sum("region").mean("replication").to_series()
    assert series.index.name == "year"
    assert series.loc[END_YEAR] == pytest.approx(
        run["summary/unicorns_december"].values[:, -1, :].sum(axis=1).mean())


def test_an_unknown_label_is_a_clear_error(runs):
    run = load(runs[0])
    with pytest.raises(KeyError, match="'Mars' is not a label of 'region'"):
        run["summary/unicorns_december"].sel(region="Mars")
    with pytest.raises(KeyError, match="no dimension 'planet'"):
        run["summary/unicorns_december"].sum("planet")


def test_an_unknown_major_version_is_refused(runs, copy_of):
    newer = copy_of(runs[0], lambda f: f.attrs.modify("format_version",
                                                     np.array([2, 0], dtype=np.int32)))
    with pytest.raises(FormatError, match="output format 2.0 is not supported"):
        load(newer)
    minor = copy_of(runs[0], lambda f: f.attrs.modify("format_version",
                                                     np.array([1, 99], dtype=np.int32)),
                    name="minor.h5")
    assert load(minor).attrs["format_version"] == [1, 99]  # minor versions only add things


def test_a_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as handle:
        handle.attrs["file_kind"] = "something.else"
    with pytest.raises(FormatError, match="not a vcsim output file"):
        load(path)


def write_sweep_like(path, base_path, points=3):
    """A sweep-like file: the base run's summary and timeseries stacked over `points`
    with a point dimension before replication, point p adding p unicorns to each cell,
    and a design table /design/values[point, parameter]."""
    base = load(base_path)
    with h5py.File(path, "w") as out, h5py.File(base_path, "r") as src:
        for key, value in src.attrs.items():
            out.attrs[key] = value
        design = out.create_group("design")
        point = design.create_dataset("point", data=np.arange(points, dtype=np.int32))
        point.make_scale("point")
        names = design.create_dataset("parameter", data=["regions.CN.ipo_rate", "market.x"],
                                      dtype=h5py.string_dtype())
        names.make_scale("parameter")
        values = design.create_dataset("values", data=np.array(
            [[0.1 * (p + 1), 5.0 - p] for p in range(points)]))
        values.dims[0].attach_scale(point)
        values.dims[1].attach_scale(names)
        for group_name in ("summary", "timeseries", "funds", "yearly"):
            group = out.create_group(group_name)
            scales = {}
            for name, dataset in src[group_name].items():
                if dataset.attrs.get("CLASS") == b"DIMENSION_SCALE":
                    scales[name] = group.create_dataset(name, data=dataset[()])
                    scales[name].make_scale(name)
            if group_name != "funds":  # fund rows get a point column instead, below
                scales["point"] = group.create_dataset("point",
                                                       data=np.arange(points, dtype=np.int32))
                scales["point"].make_scale("point")
            for name, dataset in src[group_name].items():
                if name in scales or dataset.attrs.get("CLASS") == b"DIMENSION_SCALE":
                    continue
                array = base["%s/%s" % (group_name, name)]
                if group_name == "funds":  # rows: a point column, as a sweep writes
                    stacked = np.concatenate([array.values] * points)
                    data = group.create_dataset(name, data=stacked)
                    continue
                stacked = np.stack([array.values + (p if name.startswith("unicorns") else 0)
                                    for p in range(points)])
                data = group.create_dataset(name, data=stacked)
                for axis, dim in enumerate(("point",) + array.dims):
                    data.dims[axis].attach_scale(scales[dim])
            if group_name == "funds":
                rows = len(src["funds/kind"])
                group.create_dataset("point", data=np.repeat(np.arange(points), rows))
    return path


def test_a_leading_point_dimension_is_read_generically(runs, tmp_path):
    path = write_sweep_like(tmp_path / "sweep.h5", runs[0])
    sweep, base = load(path), load(runs[0])
    december = sweep["summary/unicorns_december"]
    assert december.dims == ("point", "replication", "year", "region")
    np.testing.assert_array_equal(december.sel(point=2).values,
                                  base["summary/unicorns_december"].values + 2)
    assert list(sweep["design/values"].coords["parameter"]) == ["regions.CN.ipo_rate", "market.x"]
    figures = {f.name: f for f in headline_figures(sweep)}
    world = figures["unicorns %d world" % END_YEAR].values
    assert world.dims == ("point", "replication")
    base_world = base["summary/unicorns_december"].values[:, -1, :].sum(axis=1)
    for p in range(3):  # three regions, p added to each
        np.testing.assert_array_equal(world.values[p], base_world + 3 * p)
    tvpi = figures["fund TVPI private"].values
    assert tvpi.dims == ("point", "replication")
    base_tvpi = {f.name: f for f in headline_figures(base)}["fund TVPI private"].values.values
    np.testing.assert_allclose(tvpi.values[1], base_tvpi, equal_nan=True)


def test_xarray_opens_groups_with_named_dimensions(runs):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    summary = xr.open_dataset(runs[0], group="summary", engine="h5netcdf")
    december = summary["unicorns_december"]
    assert december.dims == ("replication", "year", "region")
    cn = december.sel(region="CN", year=END_YEAR).values
    np.testing.assert_array_equal(
        cn, load(runs[0])["summary/unicorns_december"].sel(region="CN", year=END_YEAR).values)
    series = xr.open_dataset(runs[0], group="timeseries", engine="h5netcdf")
    assert series["unicorns_active"].dims == ("replication", "month", "region", "sector")
    assert list(series["sector"].values) == list(load(runs[0])["timeseries/sector"].values)
