"""python3 -m analysis COMMAND ... (from the repository root, with /usr/bin/python3):

    report BASE.h5 [POLICY.h5 ...] -o DIR   HTML report with comparison, plots, scenarios
    compare BASE.h5 POLICY.h5               the headline comparison as a text table
    check FILE.h5                           provenance and the unicorn flow identity

Exit codes: 0 success, 1 a failure while working, 2 bad input (a file that is not a
vcsim output or has an unknown format, runs that cannot be paired, a bad argument).
"""

import argparse
import sys

from . import vcsim_output
from .compare import ComparisonError, compare, format_table
from .load import FormatError, load

BAD_INPUT = 2


def _years(text):
    try:
        return [int(y) for y in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("expected years separated by commas, e.g. 2020,2030")


def parser():
    top = argparse.ArgumentParser(prog="python3 -m analysis", description=__doc__.split("\n")[0])
    commands = top.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="write an HTML report")
    report.add_argument("files", nargs="+", help="base run file, then policy run files")
    report.add_argument("-o", "--output", required=True, help="folder for report.html")
    report.add_argument("--years", type=_years, help="years of the unicorn counts (default: last)")
    report.add_argument("--decade", type=int, help="first year of the capital-flow decade")
    report.add_argument("--sobol", help="CSV of Sobol indices: parameter,S1,ST[,S1_conf,ST_conf]")
    comparison = commands.add_parser("compare", help="print the headline comparison")
    comparison.add_argument("base")
    comparison.add_argument("policy")
    comparison.add_argument("--years", type=_years)
    check = commands.add_parser("check", help="check a run file")
    check.add_argument("file")
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        if args.command == "check":
            return vcsim_output.check(args.file)
        if args.command == "compare":
            print(format_table(compare(load(args.base), load(args.policy), args.years)), end="")
            return 0
        from .report import build  # matplotlib: imported only to draw

        path = build(args.files, args.output, args.years, args.decade, args.sobol)
        print(path)
        return 0
    except (FormatError, ComparisonError, KeyError, ValueError) as error:
        print("error: %s" % (error.args[0] if error.args else error), file=sys.stderr)
        return BAD_INPUT
    except FileNotFoundError as error:
        print("error: %s" % error, file=sys.stderr)
        return BAD_INPUT
    except OSError as error:  # a damaged file, an unwritable folder
        print("error: %s" % error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
