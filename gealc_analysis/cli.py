"""The ``gealc-report`` command: ``validate`` the data, ``build`` the report, refresh the
``datapackage`` descriptor.

Every failure ends with a message a person can act on and a non-zero exit code, never
a traceback: exit 1 for bad data or a failed build, 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gealc_analysis import paths
from gealc_analysis.data import PlanDataError, load_plans, load_themes
from gealc_analysis.years import parse_years


def _years(text: str) -> list[int]:
    """Parse '2020,2024' into [2020, 2024] (argparse type)."""
    try:
        years = parse_years(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated years like 2020,2024, found {text!r}") from None
    if not years:
        raise argparse.ArgumentTypeError("expected at least one year")
    return years


def plan_summary_lines(data_dir: Path | None = None, years: list[int] | None = None) -> list[str]:
    """One line per plan: counts a reader can check against the printed plan."""
    plans = load_plans(data_dir, years)
    themes = load_themes(data_dir)
    lines = []
    for year, plan in plans.groupby("plan_year", sort=True):
        lines.append(
            f"plan {year}: {len(plan)} activities in {plan['area_code'].nunique()} areas, "
            f"{plan['theme'].nunique()} themes, {int(plan['frequency_per_year'].sum())} events "
            f"a year; valid"
        )
    lines.append(f"themes crosswalk: {len(themes)} areas, {themes['theme'].nunique()} themes; "
                 "valid")
    return lines


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 with one summary line per plan; exit 2 (fix the data) listing every problem."""
    try:
        lines = plan_summary_lines(args.data_dir, args.years)
    except PlanDataError as error:
        print(error, file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from gealc_analysis.build import BuildError, build_report

    only = [name for part in args.only for name in part.split(",") if name] if args.only else None
    try:
        build_report(
            args.out, data_dir=args.data_dir, years=args.years,
            baseline_year=args.baseline_year, compare_year=args.compare_year,
            lang=args.lang, only=only, jobs=args.jobs,
        )
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_datapackage(args: argparse.Namespace) -> int:
    """Rewrite the descriptor; on a missing, empty or bad data folder write nothing, exit 2."""
    from gealc_analysis.datapackage import write_descriptor

    try:
        written = write_descriptor(args.data_root)
    except PlanDataError as error:
        print(f"{error}\nnothing written: fix the data, then run `gealc-report datapackage` "
              "again", file=sys.stderr)
        return 2
    print(f"wrote {written}")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft a year's CSV from a plan's text; exit 2 with a message for what the user can fix."""
    from gealc_analysis.draft import DraftInputError, run

    try:
        run(args.plan, args.year, lang=args.lang, out=args.out, data_dir=args.data_dir)
    except DraftInputError as error:
        print(f"draft: {error}", file=sys.stderr)
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gealc-report",
        description="Validate the curated Red GEALC work-plan data and build the report.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="check every curated plan against the codebook")
    validate.add_argument("data_dir", nargs="?", type=Path, default=None,
                          help=f"folder of plan_<year>.csv and themes.csv "
                               f"(default: {paths.CURATED_DIR})")
    validate.add_argument("--years", type=_years, default=None,
                          help="only these years, e.g. 2020,2024")
    validate.set_defaults(handler=cmd_validate)

    build = commands.add_parser("build", help="run the notebooks and render the report")
    build.add_argument("--out", type=Path, default=None,
                       help=f"output folder (default: {paths.REPORTS_DIR})")
    build.add_argument("--data-dir", type=Path, default=None,
                       help=f"curated data folder (default: {paths.CURATED_DIR})")
    build.add_argument("--years", type=_years, default=None,
                       help="plan years to include, e.g. 2020,2024 (default: all)")
    build.add_argument("--baseline-year", type=int, default=None,
                       help="year compared from (default: earliest)")
    build.add_argument("--compare-year", type=int, default=None,
                       help="year compared to (default: latest)")
    build.add_argument("--lang", choices=("en", "es"), default="en", help="report language")
    build.add_argument("--only", action="append", default=None, metavar="NAME",
                       help="build only this section (e.g. 03_funding_dependence, "
                            "funding_dependence or 03); repeatable")
    build.add_argument("--jobs", type=int, default=1, help="notebooks run in parallel")
    build.set_defaults(handler=cmd_build)

    package = commands.add_parser(
        "datapackage", help="rewrite data/datapackage.json from the curated files")
    package.add_argument("data_root", nargs="?", type=Path, default=None,
                         help=f"data folder holding curated/ and raw/ (default: {paths.DATA_DIR})")
    package.set_defaults(handler=cmd_datapackage)

    draft = commands.add_parser(
        "draft", help="draft a year's plan CSV from the plan's text, for a curator to review")
    draft.add_argument("plan", type=Path, help="the plan as plain text or a Markdown export")
    draft.add_argument("--year", type=int, required=True, help="the year the plan covers")
    draft.add_argument("--lang", choices=("en", "es"), default=None,
                       help="the plan's language (default: guessed from its field labels)")
    draft.add_argument("--out", type=Path, default=None,
                       help="CSV to write, with a needs_review column (default: stdout)")
    draft.add_argument("--data-dir", type=Path, default=None,
                       help=f"folder of themes.csv, for the theme column "
                            f"(default: {paths.CURATED_DIR})")
    draft.set_defaults(handler=cmd_draft)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
