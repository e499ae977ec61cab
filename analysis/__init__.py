"""Analysis of vcsim output files: load, paired comparison, plots and an HTML report.

Run with Debian's Python (/usr/bin/python3), which has h5py, numpy, pandas, matplotlib
and scipy. See docs/analysis.md.

    from analysis import load, compare
    table = compare(load("base.h5"), load("policy.h5"))
"""

from .compare import ComparisonError, compare, format_table
from .load import FormatError, Labelled, Run, load

__all__ = ["ComparisonError", "FormatError", "Labelled", "Run", "compare", "format_table", "load"]
