#!/usr/bin/env python3
"""Read vcsim run output files (docs/output.md) with numpy and h5py alone.

    import vcsim_output
    run = vcsim_output.load("out/baseline.h5")
    run["attrs"]["seed"]
    dims, births = run["timeseries"]["births"]   # ("replication", "month", "region", "sector")

Each group maps dataset names to (dims, numpy array) pairs, the form xarray.Dataset
takes, so `xarray.Dataset(run["timeseries"])` gives a labelled dataset. Strings come back
as numpy arrays of str.

As a program:

    python3 analysis/vcsim_output.py check FILE

prints the root attributes and checks that the unicorn stock follows its flows for
both definitions; it exits non-zero on any failure.
"""

import sys

import h5py
import numpy as np

FILE_KIND = "vcsim.run"
FORMAT_MAJOR = 1  # the major version this reader knows; minor versions only add things

UNICORN_INFLOWS = ("new", "reminted")
UNICORN_OUTFLOWS = ("ipo", "acquired", "failed", "demoted", "aged_out")
DEFINITION_SUFFIXES = {"all": "", "age_capped": "_age_capped"}


class FormatError(Exception):
    """The file is not a vcsim run output file this reader understands."""


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _attribute(value):
    value = _text(value)
    if isinstance(value, np.ndarray):
        return [_text(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _dims(dataset):
    """Names of the dimension scales attached to each axis (h5py's view of H5DS)."""
    if dataset.attrs.get("CLASS") == b"DIMENSION_SCALE":
        return (dataset.name.rsplit("/", 1)[-1],)
    names = []
    for axis, dim in enumerate(dataset.dims):
        scales = list(dim.keys())  # scale names
        names.append(_text(scales[0]) if scales and scales[0] else "dim_%d" % axis)
    return tuple(names)


def _values(dataset):
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return dataset.asstr()[()].astype(str)
    return dataset[()]


def root_attributes(handle):
    attrs = {name: _attribute(value) for name, value in handle.attrs.items()}
    if attrs.get("file_kind") != FILE_KIND:
        raise FormatError("%s: not a vcsim output file (file_kind is %r, not %r)"
                          % (handle.filename, attrs.get("file_kind"), FILE_KIND))
    version = attrs.get("format_version")
    if not version or int(version[0]) != FORMAT_MAJOR:
        raise FormatError("%s: output format %s is not supported; this reader knows %d.x"
                          % (handle.filename, ".".join(str(v) for v in version or []),
                             FORMAT_MAJOR))
    return attrs


def load(path):
    """Every group of the file as {name: (dims, array)}, and the root attributes.

    Raises FormatError for a file that is not a vcsim run output or has an unknown
    major format version.
    """
    with h5py.File(path, "r") as handle:
        out = {"attrs": root_attributes(handle)}
        for group_name, group in handle.items():
            if not isinstance(group, h5py.Group):
                continue
            out[group_name] = {name: (_dims(dataset), _values(dataset))
                               for name, dataset in group.items()
                               if isinstance(dataset, h5py.Dataset)}
        return out


def unicorn_identity_errors(run):
    """Cells where active[t] != active[t-1] + inflows - outflows (active[-1] = 0)."""
    series = run["timeseries"]
    errors = []
    for definition, suffix in DEFINITION_SUFFIXES.items():
        dims, active = series["unicorns_active" + suffix]
        active = active.astype(np.int64)
        flows = np.zeros_like(active)
        for flow in UNICORN_INFLOWS:
            flows += series["unicorns_%s%s" % (flow, suffix)][1]
        for flow in UNICORN_OUTFLOWS:
            flows -= series["unicorns_%s%s" % (flow, suffix)][1]
        month = dims.index("month")
        previous = np.concatenate(
            [np.zeros_like(np.take(active, [0], axis=month)),
             np.take(active, range(active.shape[month] - 1), axis=month)], axis=month)
        bad = np.argwhere(active != previous + flows)
        for index in bad[:10]:
            errors.append("%s: %s" % (definition, dict(zip(dims, index.tolist()))))
        if len(bad) > 10:
            errors.append("%s: ... %d cells in all" % (definition, len(bad)))
    return errors


def check(path):
    try:
        run = load(path)
    except (OSError, FormatError, KeyError) as error:
        print("error: %s" % error, file=sys.stderr)
        return 1
    for name, value in sorted(run["attrs"].items()):
        if name == "scenario":
            value = "(%d characters of TOML)" % len(value)
        print("%s = %s" % (name, value))
    try:
        errors = unicorn_identity_errors(run)
    except KeyError as error:
        print("error: missing dataset %s" % error, file=sys.stderr)
        return 1
    if errors:
        print("unicorn flow identity fails:", file=sys.stderr)
        for line in errors:
            print("  " + line, file=sys.stderr)
        return 1
    print("unicorn flow identity holds for every replication, month, region and sector")
    return 0


def main(argv):
    if len(argv) != 3 or argv[1] != "check":
        print("usage: vcsim_output.py check FILE", file=sys.stderr)
        return 2
    return check(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
