"""The ``gealc-report`` command: ``validate`` the data, ``build`` the report, refresh the
``datapackage`` descriptor.

Every failure ends with a message a person can act on and a non-zero exit code, never a
traceback on the screen (see :data:`EXIT_CODES`): 2 for anything the user can fix (data,
arguments, paths), 1 for a failed notebook or an internal error (the traceback goes to a log
file and the message asks to report it), 130/143 when stopped by Ctrl-C/SIGTERM.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from gealc_analysis.build.errors import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    EXIT_USER,
    report_state,
)
from gealc_analysis.build.execute import DEFAULT_CELL_TIMEOUT
from gealc_analysis.build.folders import DEFAULT_LOCK_TIMEOUT
from gealc_analysis.build.kernel import raise_if_stop_requested, request_stop
from gealc_analysis.build.publish import signal_handlers
from gealc_analysis.core import paths, provenance
from gealc_analysis.core.links import LOOP_WORDS, is_symlink_loop
from gealc_analysis.core.years import parse_years
from gealc_analysis.data import PlanDataError
from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.measures.counts import plan_overview

# The exit codes of every command (also printed by --help and listed in the README).
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "success"),
    (
        EXIT_INTERNAL,
        "a notebook failed, or an internal error: the message says where the "
        "details are; please report it",
    ),
    (
        EXIT_USER,
        "something to fix: bad data, a bad argument, an unknown notebook, a baseline or "
        "comparison year without a plan, an output folder that is not the build's own or "
        "cannot be written; the message names it",
    ),
    (EXIT_SIGINT, "stopped by Ctrl-C (SIGINT); the last report is unchanged"),
    (EXIT_SIGTERM, "stopped by SIGTERM; the last report is unchanged"),
)
REPORT_REQUEST = (
    "This is a bug in gealc-report, not in your data: please report it to the "
    "project's maintainers with the log file named above."
)


def _years(text: str) -> list[int]:
    """Parse '2020,2024' into [2020, 2024] (argparse type)."""
    try:
        years = parse_years(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated years like 2020,2024, found {text!r}"
        ) from None
    if not years:
        raise argparse.ArgumentTypeError("expected at least one year")
    return years


def plan_summary_lines(data_dir: Path | None = None, years: list[int] | None = None) -> list[str]:
    """One line per plan: counts a reader can check against the printed plan."""
    bundle = load_bundle(data_dir, years)
    plans, themes = bundle.plans, bundle.themes
    lines = [f"warning: {note}" for note in bundle.notes]
    for row in plan_overview(plans).itertuples():
        lines.append(
            f"plan {row.plan_year}: {row.n_activities} activities in {row.n_areas} areas, "
            f"{row.n_themes} themes, {row.n_events} events a year (event-type rows); valid"
        )
    lines.append(
        f"themes crosswalk: {len(themes)} areas, {themes['theme'].nunique()} themes; valid"
    )
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

    try:  # before any kernel starts: a bad date would fail every notebook
        provenance.source_date_epoch()
    except ValueError as error:
        print(f"gealc-report build: {error}", file=sys.stderr)
        return EXIT_USER
    only = [name for part in args.only for name in part.split(",") if name] if args.only else None
    try:
        build_report(
            args.out,
            data_dir=args.data_dir,
            notebooks_dir=args.notebooks_dir,
            years=args.years,
            baseline_year=args.baseline_year,
            compare_year=args.compare_year,
            lang=args.lang,
            only=only,
            jobs=args.jobs,
            cell_timeout=args.cell_timeout,
            lock_timeout=args.wait,
            force=args.force,
        )
    except BuildError as error:
        # An "internal" failure caused by a full disk, a permission or a refused data file is
        # the user's to fix: say so, with the path (the build's own messages stay as they are).
        fixable = _user_cause(error) if error.exit_code == EXIT_INTERNAL else None
        if fixable is not None:
            print(f"build failed: {_cause_text(fixable, args.out)}", file=sys.stderr)
            return EXIT_USER
        print(f"build failed: {error}", file=sys.stderr)
        if error.exit_code == EXIT_INTERNAL:
            print(
                "If the notebooks and the data are unchanged, this is a bug in gealc-report: "
                "please report it with the executed notebook named above.",
                file=sys.stderr,
            )
        return error.exit_code
    return 0


# Errors of the file system a person fixes (free space, permissions, a read-only disk).
USER_FIXABLE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ELOOP}
)


def _user_cause(error: BaseException) -> OSError | PlanDataError | None:
    """What the user can fix behind a failed build: a full disk, a permission, a refused
    data file (a symlink out of the data folder) — found along the chain of causes."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, PlanDataError):
            return cause
        if isinstance(cause, OSError) and cause.errno in USER_FIXABLE_ERRNOS:
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def _cause_text(cause: OSError | PlanDataError, out: Path | None) -> str:
    if isinstance(cause, PlanDataError):
        return str(cause)
    where = cause.filename or out or paths.REPORTS_DIR
    return (
        f"cannot write {where}: {cause.strerror or cause}; free some disk space or fix the "
        "permissions, then build again"
    )


# Bounds of the numeric options: beyond them is a typo, not a wish (a week of waiting).
MAX_SECONDS = 7 * 24 * 3600
MAX_JOBS = 64
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits: int() would take "٣" and "1_0"


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    """``text`` as an int within [low, high], else an argparse error saying what to type.

    Parsed to the type it is used as: the cell timeout goes to nbclient, whose timeout is
    a whole number of seconds, so "2.5", "1e308", "nan" or "inf" are refused here, with
    the bounds, rather than failing every notebook later.
    """
    cleaned = text.strip()
    if not _WHOLE_NUMBER.fullmatch(cleaned) or not low <= int(cleaned) <= high:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from {low} to {high} ({what}), found {text!r}"
        )
    return int(cleaned)


def _cell_seconds(text: str) -> int:
    """--cell-timeout: whole seconds, at least 1 (argparse type)."""
    return _whole_number(text, 1, MAX_SECONDS, "seconds a cell may run")


def _wait_seconds(text: str) -> int:
    """--wait: whole seconds, 0 (fail at once) or more (argparse type)."""
    return _whole_number(text, 0, MAX_SECONDS, "seconds to wait for another build")


def _jobs(text: str) -> int:
    """--jobs: notebooks at a time (argparse type)."""
    return _whole_number(text, 1, MAX_JOBS, "notebooks run at a time")


def _year(text: str) -> int:
    """--baseline-year / --compare-year: one four-digit year (argparse type)."""
    try:
        years = parse_years(text.strip())
    except ValueError:
        years = None
    if not years or len(years) != 1 or "," in text:
        raise argparse.ArgumentTypeError(f"expected a four-digit year like 2024, found {text!r}")
    return years[0]


def _folder(text: str) -> Path:
    """A path option: refused at once when it is a symlink loop (argparse type)."""
    if is_symlink_loop(text):
        raise argparse.ArgumentTypeError(f"{text} is {LOOP_WORDS}; give a real folder")
    return Path(text)


def cmd_datapackage(args: argparse.Namespace) -> int:
    """Rewrite the descriptor; on a missing, empty or bad data folder write nothing, exit 2."""
    from gealc_analysis.data.datapackage import write_descriptor

    try:
        written = write_descriptor(args.data_root)
    except PlanDataError as error:
        print(
            f"{error}\nnothing written: fix the data, then run `gealc-report datapackage` again",
            file=sys.stderr,
        )
        return 2
    print(f"wrote {written}")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft a year's CSV from a plan's text; exit 2 with a message for what the user can fix."""
    from gealc_analysis.curation.draft import DraftInputError, run

    try:
        run(
            args.plan,
            args.year,
            lang=args.lang,
            out=args.out,
            data_dir=args.data_dir,
            force=args.force,
            add_source=args.add_source,
        )
    except DraftInputError as error:
        print(f"draft: {error}", file=sys.stderr)
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gealc-report",
        description="Validate the curated Red GEALC work-plan data and build the report.",
        epilog=exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every curated plan against the codebook")
    validate.add_argument(
        "data_dir",
        nargs="?",
        type=Path,  # a loop is reported by the loader, located like every data problem
        default=None,
        help=f"folder of plan_<year>.csv and themes.csv (default: {paths.CURATED_DIR})",
    )
    validate.add_argument(
        "--years", type=_years, default=None, help="only these years, e.g. 2020,2024"
    )
    validate.set_defaults(handler=cmd_validate)

    build = commands.add_parser(
        "build",
        help="run the notebooks and render the report",
        epilog=exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "--out", type=_folder, default=None, help=f"output folder (default: {paths.REPORTS_DIR})"
    )
    build.add_argument(
        "--data-dir",
        type=_folder,
        default=None,
        help=f"curated data folder (default: {paths.CURATED_DIR})",
    )
    build.add_argument(
        "--years",
        type=_years,
        default=None,
        help="plan years to include, e.g. 2020,2024 (default: all)",
    )
    build.add_argument(
        "--baseline-year", type=_year, default=None, help="year compared from (default: earliest)"
    )
    build.add_argument(
        "--compare-year", type=_year, default=None, help="year compared to (default: latest)"
    )
    build.add_argument(
        "--lang",
        choices=("en", "es"),
        default=None,
        help="build only this language's report (reports/<lang>/); default: every language",
    )
    build.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="NAME",
        help="build only this section (e.g. 03_funding_dependence, "
        "funding_dependence or 03); repeatable",
    )
    build.add_argument("--jobs", type=_jobs, default=1, help="notebooks run in parallel")
    build.add_argument(
        "--notebooks-dir",
        type=_folder,
        default=None,
        help=f"folder of NN_name.ipynb notebooks (default: {paths.NOTEBOOKS_DIR})",
    )
    build.add_argument(
        "--cell-timeout",
        type=_cell_seconds,
        default=int(DEFAULT_CELL_TIMEOUT),
        metavar="SECONDS",
        help="fail the build when one notebook cell runs longer than this "
        f"(default: {DEFAULT_CELL_TIMEOUT:g})",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="run every section, even those whose inputs did not change since "
        "the last build (by default those are kept)",
    )
    build.add_argument(
        "--wait",
        type=_wait_seconds,
        default=int(DEFAULT_LOCK_TIMEOUT),
        metavar="SECONDS",
        help="how long to wait for another build into the same folder; 0 fails "
        f"at once (default: {DEFAULT_LOCK_TIMEOUT:g})",
    )
    build.set_defaults(handler=cmd_build)

    package = commands.add_parser(
        "datapackage", help="rewrite data/datapackage.json from the curated files"
    )
    package.add_argument(
        "data_root",
        nargs="?",
        type=_folder,
        default=None,
        help=f"data folder holding curated/ and raw/ (default: {paths.DATA_DIR})",
    )
    package.set_defaults(handler=cmd_datapackage)

    draft = commands.add_parser(
        "draft", help="draft a year's plan CSV from the plan's text, for a curator to review"
    )
    draft.add_argument(
        "plan", type=Path, help="the plan: plain text, a Markdown export, Word .docx or PDF"
    )
    draft.add_argument("--year", type=int, required=True, help="the year the plan covers")
    draft.add_argument(
        "--lang",
        choices=("en", "es"),
        default=None,
        help="the plan's language (default: guessed from its field labels)",
    )
    draft.add_argument(
        "--out",
        type=Path,
        default=None,
        help="CSV to write, with a needs_review column (default: stdout); never a file of "
        "data/ or of --data-dir, nor the plan itself",
    )
    draft.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out file (outside the data folders)",
    )
    draft.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"folder of themes.csv, for the theme column (default: {paths.CURATED_DIR})",
    )
    draft.add_argument(
        "--add-source",
        action="store_true",
        help="also copy the plan into the raw/ folder beside --data-dir (default: "
        f"{paths.RAW_DIR}) and list it with its SHA-256 in sources.yaml; never replaces one",
    )
    draft.set_defaults(handler=cmd_draft)
    return parser


def exit_codes_text() -> str:
    """The exit-code table, as --help prints it (wrapped to 79 columns)."""
    import textwrap

    rows = [
        textwrap.fill(meaning, 79, initial_indent=f"  {code:>3}  ", subsequent_indent=" " * 7)
        for code, meaning in EXIT_CODES
    ]
    return "exit codes:\n" + "\n".join(rows)


class _Stopped(KeyboardInterrupt):
    """Raised by the signal handlers: Ctrl-C or SIGTERM, with the exit code to use."""

    def __init__(self, name: str, exit_code: int) -> None:
        super().__init__(name)
        self.name, self.exit_code = name, exit_code


@contextmanager
def _signals_stop_cleanly() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`_Stopped` in the main thread, once.

    So a build's ``except``/``finally`` blocks run (kernels stopped, staging folder removed)
    instead of the process dying mid-swap; a second signal during that clean-up is ignored.
    """
    codes = {signal.SIGINT: EXIT_SIGINT, signal.SIGTERM: EXIT_SIGTERM}

    def stop(signum: int, _frame: FrameType | None) -> None:
        for other in codes:
            signal.signal(other, signal.SIG_IGN)
        stopped = _Stopped(signal.Signals(signum).name, codes[signal.Signals(signum)])
        request_stop(stopped)  # raised again by the build should this raise be swallowed
        raise stopped

    # A raise that lands in a callback from compiled code (the HTML sanitiser's, say) cannot
    # leave it: Python would print it as "Exception ignored" with a traceback. The stop is
    # recorded and raised again at the build's next look, so it is not printed.
    shown = sys.unraisablehook

    def unless_a_stop(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, _Stopped):
            shown(unraisable)

    # Outside the main thread (e.g. called from a worker) nothing is installed.
    sys.unraisablehook = unless_a_stop
    try:
        with signal_handlers(dict.fromkeys(codes, stop)):
            yield
    finally:
        sys.unraisablehook = shown


def _write_log(error: BaseException) -> Path:
    """Write ``error``'s traceback to a log file in the temp folder; return its path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log = Path(tempfile.gettempdir()) / f"gealc-report-error-{stamp}-{os.getpid()}.log"
    log.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    return log


def _guarded(command: str, handler: Callable[[], int]) -> int:
    """Run one command: exit codes per :data:`EXIT_CODES`, never a traceback on screen."""
    try:
        with _signals_stop_cleanly():
            code = handler()
            raise_if_stop_requested()  # a stop whose raise was swallowed after the last look
            return code
    except KeyboardInterrupt as stop:
        name = getattr(stop, "name", "SIGINT")
        code = getattr(stop, "exit_code", EXIT_SIGINT)
        after = f"; {report_state(stop)}" if command == "build" else ""
        print(f"gealc-report {command}: stopped by {name}{after}", file=sys.stderr)
        return code
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(
            f"gealc-report {command}: cannot use{where}: {error.strerror or error}; check "
            "the path, its permissions and the free disk space",
            file=sys.stderr,
        )
        return EXIT_USER
    except Exception as error:  # a bug: the traceback goes to a file, the screen gets a line
        log = _write_log(error)
        print(
            f"gealc-report {command}: internal error: {type(error).__name__}: {error}\n"
            f"The details are in {log}.\n{REPORT_REQUEST}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return _guarded(args.command, lambda: args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
