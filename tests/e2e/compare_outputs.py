#!/usr/bin/env python3
"""Require two vcsim output files to hold the same data, bit for bit.

    compare_outputs.py A.h5 B.h5 [--replications 0,1] [--ignore-attr NAME ...]

Walks every dataset of both files and requires the same datasets, each with the same
dtype, shape, dimensions, attributes and bytes (NaN compares equal to NaN of the same bit
pattern), and the same root attributes except `created`. With --replications, only
those replications are compared: axes named `replication` are cut to them, and the
`fund` rows to the funds of those replications, so a file with more replications can be
compared with one with fewer; the root attribute `replications` and the `replications`
line of the scenario text are then not compared, nor are the `fund` row numbers.
--ignore-attr leaves out one more root attribute (repeatable).

Exits 0 if the files agree, 1 at the first difference (printed), 2 if a file cannot be
read.
"""

import argparse
import re
import sys

import h5py
import numpy as np

ALWAYS_IGNORED_ATTRS = {"created"}
# References to other objects of the same file: compared through the dimension names.
REFERENCE_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST"}


class Difference(Exception):
    pass


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def normalise(value):
    """An attribute value as plain Python, for comparison and printing."""
    if isinstance(value, np.ndarray):
        return [normalise(v) for v in value.tolist()]
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, np.generic):
        return normalise(value.item())
    if isinstance(value, float) and value != value:
        return "NaN"
    return text(value)


def short(value, limit=200):
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit] + "..."


def axis_names(dataset):
    if dataset.attrs.get("CLASS") == b"DIMENSION_SCALE":
        return (dataset.name.rsplit("/", 1)[-1],)
    names = []
    for dim in dataset.dims:
        label = text(dim.label)
        if not label and len(dim.keys()) > 0:
            label = text(dim.keys()[0])
        names.append(label)
    return tuple(names)


def datasets(handle):
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found["/" + name] = obj

    handle.visititems(visit)
    return found


def compare_attrs(where, a, b, ignored):
    names_a = set(a.keys()) - ignored
    names_b = set(b.keys()) - ignored
    if names_a != names_b:
        raise Difference("%s: attributes differ: only in A %s, only in B %s"
                         % (where, sorted(names_a - names_b), sorted(names_b - names_a)))
    for name in sorted(names_a):
        va, vb = normalise(a[name]), normalise(b[name])
        if va != vb:
            raise Difference("%s: attribute %s differs: A %s, B %s"
                             % (where, name, short(va), short(vb)))


def scenario_without_replications(value):
    return re.sub(r"(?m)^replications\s*=.*$", "replications = *", text(value))


def compare_root(a, b, replications, ignored):
    ignored = ALWAYS_IGNORED_ATTRS | set(ignored)
    attrs_a, attrs_b = dict(a.attrs.items()), dict(b.attrs.items())
    if replications is not None:
        ignored |= {"replications"}
        for attrs in (attrs_a, attrs_b):
            if "scenario" in attrs:
                attrs["scenario"] = scenario_without_replications(attrs["scenario"])
    compare_attrs("root", attrs_a, attrs_b, ignored)


def values(dataset):
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return dataset.asstr()[()]
    return dataset[()]


def select(dataset, array, replications, which):
    """The part of the array that belongs to the chosen replications, and for each axis
    the original positions of what is kept (None where the axis is whole)."""
    origin = [None] * array.ndim
    if replications is None:
        return array, origin
    for axis, dim in enumerate(axis_names(dataset)):
        if dim == "replication":
            if max(replications) >= array.shape[axis]:
                raise Difference("%s: %s has %d replications; replication %d asked for"
                                 % (dataset.name, which, array.shape[axis],
                                    max(replications)))
            array = np.take(array, replications, axis=axis)
            origin[axis] = np.asarray(replications)
        elif dim == "fund":
            group = dataset.parent
            if "replication" not in group:
                raise Difference("%s: %s has a fund axis without a replication column in %s"
                                 % (dataset.name, which, group.name))
            mine = np.isin(group["replication"][()], replications)
            array = np.compress(mine, array, axis=axis)
            origin[axis] = np.flatnonzero(mine)
    return array, origin


def first_difference(a, b):
    """Index and values of the first element that differs, or None if only bits do."""
    if a.dtype.kind == "O" or a.dtype.kind in "SU":
        unequal = a != b
    elif a.dtype.kind in "fc":
        unequal = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    else:
        unequal = a != b
    where = np.argwhere(np.asarray(unequal))
    if len(where) == 0:
        return None
    index = tuple(int(i) for i in where[0])
    return index, a[index] if index else a[()], b[index] if index else b[()], len(where)


def compare_dataset(name, da, db, replications):
    if da.dtype != db.dtype:
        raise Difference("%s: dtype differs: A %s, B %s" % (name, da.dtype, db.dtype))
    dims_a, dims_b = axis_names(da), axis_names(db)
    if dims_a != dims_b:
        raise Difference("%s: dimensions differ: A %s, B %s" % (name, dims_a, dims_b))
    compare_attrs(name, da.attrs, db.attrs, REFERENCE_ATTRS)
    if replications is not None and dims_a == ("fund",) and name.endswith("/fund"):
        return  # row numbers of the concatenated fund table; they shift with the cut
    a, origin = select(da, values(da), replications, "A")
    b, _ = select(db, values(db), replications, "B")
    if a.shape != b.shape:
        raise Difference("%s: shape differs: A %s, B %s%s"
                         % (name, a.shape, b.shape,
                            "" if replications is None else " (after the replication cut)"))
    if a.dtype.kind == "O":
        same = np.array_equal(a, b)
    else:
        same = np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
    if same:
        return
    found = first_difference(a, b)
    if found is None:
        raise Difference("%s: same values but different bit patterns (signed zeros or NaN "
                         "payloads)" % name)
    index, va, vb, count = found
    # Positions in A's file (B's may differ along a cut fund axis).
    where = ", ".join("%s %d" % (dim, i if kept is None else kept[i])
                      for dim, i, kept in zip(dims_a, index, origin))
    raise Difference("%s: %d elements differ; first at [%s]: A %r, B %r"
                     % (name, count, where, va, vb))


def compare(path_a, path_b, replications, ignored):
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        compare_root(a, b, replications, ignored)
        sets_a, sets_b = datasets(a), datasets(b)
        if set(sets_a) != set(sets_b):
            raise Difference("datasets differ: only in A %s, only in B %s"
                             % (sorted(set(sets_a) - set(sets_b)),
                                sorted(set(sets_b) - set(sets_a))))
        for name in sorted(sets_a):
            compare_dataset(name, sets_a[name], sets_b[name], replications)
        return len(sets_a)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--replications",
                        help="comma-separated replications to compare (default: all)")
    parser.add_argument("--ignore-attr", action="append", default=[],
                        help="a root attribute not to compare (repeatable)")
    args = parser.parse_args(argv)
    replications = None
    if args.replications is not None:
        try:
            replications = sorted({int(r) for r in args.replications.split(",")})
        except ValueError:
            parser.error("--replications takes comma-separated integers")
        if not replications or replications[0] < 0:
            parser.error("--replications takes replication numbers >= 0")
    try:
        count = compare(args.a, args.b, replications, args.ignore_attr)
    except OSError as error:
        print("compare_outputs: cannot read: %s" % error, file=sys.stderr)
        return 2
    except Difference as difference:
        print("compare_outputs: %s and %s differ: %s" % (args.a, args.b, difference))
        return 1
    print("compare_outputs: %s and %s agree (%d datasets%s)"
          % (args.a, args.b, count,
             "" if replications is None
             else ", replications " + ",".join(map(str, replications))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
