"""Load a vcsim output file into labelled arrays (docs/output.md).

    from analysis import load
    run = load("baseline.h5")
    december = run["summary/unicorns_december"]          # dims (replication, year, region)
    december.sel(region="CN", year=2020).values           # one number per replication
    december.sum("region").mean("replication").to_series()

Every dataset of a run file carries named dimensions (HDF5 dimension scales); `load`
reads them into `Labelled` arrays that select and reduce by name, the way xarray does,
with numpy and pandas alone. Nothing assumes which dimensions lead: a sweep file adds a
`point` dimension before `replication`, and the same code reads it. A file whose format
major version this reader does not know is refused (FormatError), never misread.
"""

import h5py
import numpy as np
import pandas as pd

from .vcsim_output import FormatError, _dims, _values, root_attributes

__all__ = ["FormatError", "Labelled", "Run", "load"]


class Labelled:
    """A numpy array with named dimensions and a coordinate (labels) per dimension."""

    def __init__(self, values, dims, coords, attrs=None):
        self.values = np.asarray(values)
        self.dims = tuple(dims)
        self.coords = {d: np.asarray(coords[d]) for d in self.dims}
        self.attrs = dict(attrs or {})
        if self.values.ndim != len(self.dims):
            raise ValueError("%d dims named for an array of %d dimensions"
                             % (len(self.dims), self.values.ndim))

    def __repr__(self):
        shape = ", ".join("%s: %d" % (d, n) for d, n in zip(self.dims, self.values.shape))
        return "Labelled(%s)" % shape

    def _axis(self, dim):
        if dim not in self.dims:
            raise KeyError("no dimension %r; the array has %s" % (dim, ", ".join(self.dims)))
        return self.dims.index(dim)

    def position(self, dim, label):
        """Position of `label` along `dim` (KeyError naming the labels if absent)."""
        labels = self.coords[dim]
        found = np.flatnonzero(labels == label)
        if len(found) == 0:
            raise KeyError("%r is not a label of %r (labels: %s)"
                           % (label, dim, ", ".join(str(v) for v in labels[:20])))
        return int(found[0])

    def sel(self, **labels):
        """Select by label; a list of labels keeps the dimension, one label drops it."""
        positions = {}
        for dim, label in labels.items():
            self._axis(dim)
            if isinstance(label, (list, tuple, np.ndarray)):
                positions[dim] = [self.position(dim, v) for v in label]
            else:
                positions[dim] = self.position(dim, label)
        return self.isel(**positions)

    def isel(self, **positions):
        """Select by position along named dimensions."""
        index = [slice(None)] * len(self.dims)
        for dim, where in positions.items():
            index[self._axis(dim)] = where
        values = self.values[tuple(index)]
        dims, coords = [], {}
        for dim, where in zip(self.dims, index):
            if np.ndim(where) == 0 and not isinstance(where, slice):
                continue  # a single position drops the dimension
            dims.append(dim)
            coords[dim] = self.coords[dim][where]
        return Labelled(values, dims, coords, self.attrs)

    def _reduce(self, function, dims):
        dims = (dims,) if isinstance(dims, str) else tuple(dims)
        axes = tuple(self._axis(d) for d in dims)
        kept = [d for d in self.dims if d not in dims]
        return Labelled(function(self.values, axis=axes), kept,
                        {d: self.coords[d] for d in kept}, self.attrs)

    def sum(self, dims):
        return self._reduce(np.sum, dims)

    def mean(self, dims):
        """Mean, leaving out NaN (a statistic with nothing to compute it from)."""
        return self._reduce(_nanmean, dims)

    def transpose(self, *dims):
        axes = [self._axis(d) for d in dims]
        return Labelled(np.transpose(self.values, axes), dims, self.coords, self.attrs)

    def to_series(self):
        """A pandas Series indexed by every dimension (a MultiIndex for two or more)."""
        if not self.dims:
            return pd.Series([self.values.item()])
        if len(self.dims) == 1:
            index = pd.Index(self.coords[self.dims[0]], name=self.dims[0])
        else:
            index = pd.MultiIndex.from_product([self.coords[d] for d in self.dims],
                                               names=self.dims)
        return pd.Series(self.values.reshape(-1), index=index, name=self.attrs.get("name"))


def _nanmean(values, axis):
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        counts = np.sum(~np.isnan(values), axis=axis)
        return np.where(counts > 0, np.nansum(values, axis=axis) / np.maximum(counts, 1), np.nan)


class Run:
    """One output file: root attributes and every dataset, labelled, by "group/name"."""

    def __init__(self, path, attrs, arrays):
        self.path = path
        self.attrs = attrs
        self.arrays = arrays

    def __getitem__(self, name):
        try:
            return self.arrays[name]
        except KeyError:
            raise KeyError("%s: no dataset %r in the file" % (self.path, name)) from None

    def __contains__(self, name):
        return name in self.arrays

    def group(self, name):
        """The datasets of one group, by their names within it."""
        prefix = name + "/"
        return {k[len(prefix):]: v for k, v in self.arrays.items() if k.startswith(prefix)}

    @property
    def name(self):
        return self.attrs.get("scenario_name", self.path)

    @property
    def replications(self):
        return int(self.attrs["replications"])


def _dataset_attrs(dataset, name):
    attrs = {"name": name}
    for key in ("units", "description"):
        if key in dataset.attrs:
            value = dataset.attrs[key]
            attrs[key] = value.decode("utf-8") if isinstance(value, bytes) else str(value)
    for key, value in dataset.attrs.items():
        if key not in attrs and key not in ("CLASS", "NAME", "DIMENSION_LIST", "REFERENCE_LIST"):
            attrs[key] = value.item() if isinstance(value, np.generic) else value
    return attrs


def _labelled(group, dataset, name):
    dims = _dims(dataset)
    values = _values(dataset)
    coords = {}
    for axis, dim in enumerate(dims):
        if dim in group and isinstance(group[dim], h5py.Dataset) and group[dim].ndim == 1 \
                and group[dim].shape[0] == values.shape[axis]:
            coords[dim] = _values(group[dim])
        else:
            coords[dim] = np.arange(values.shape[axis])
    return Labelled(values, dims, coords, _dataset_attrs(dataset, name))


def load(path):
    """Every dataset of the run file `path` as a Labelled array, keyed "group/name".

    Raises FormatError for a file that is not a vcsim output file or whose format major
    version this reader does not know, OSError for a file HDF5 cannot open.
    """
    arrays = {}
    with h5py.File(path, "r") as handle:
        attrs = root_attributes(handle)

        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                arrays[name] = _labelled(item.parent, item, name)

        handle.visititems(visit)
    return Run(str(path), attrs, arrays)
