"""The build's two failures: one the user reads, one the runner passes up with its details."""

from __future__ import annotations

# Exit codes of ``gealc-report`` (documented in its --help and the README).
EXIT_OK = 0
EXIT_INTERNAL = 1  # a notebook failed or a bug: the message asks to report it
EXIT_USER = 2  # something the user can fix: data, arguments, paths
EXIT_SIGINT = 130  # 128 + SIGINT, the shell's convention
EXIT_SIGTERM = 143  # 128 + SIGTERM
# What a stopped build says of the report when nothing says otherwise (see report_state).
REPORT_UNCHANGED = "the last report is unchanged"
# What this process's last swap left in place, once a build has published (reset when a
# build takes its output folder's lock): a stop after the swap must not claim "unchanged".
_published: dict[str, str] = {}


def note_published(state: str | None) -> None:
    """Record which report the build has just put in place (None: none yet)."""
    _published.clear()
    if state is not None:
        _published["state"] = state


def report_state(error: BaseException) -> str:
    """Which report is in place after ``error`` stopped a build: what the swap recorded on
    the exception if it stopped the swap (``build.publish``), else the new report if this
    build already published it, else the last report, untouched."""
    return str(getattr(error, "report_state", _published.get("state", REPORT_UNCHANGED)))


class BuildError(RuntimeError):
    """The report could not be built; the message says what failed and where to look.

    ``exit_code`` is :data:`EXIT_USER` (the default: bad data, arguments or paths, with what
    to fix in the message) or :data:`EXIT_INTERNAL` (a notebook failed or something broke).
    """

    def __init__(self, message: str, exit_code: int = EXIT_USER) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class NotebookFailed(Exception):
    """A notebook did not execute or render; carries what the BuildError message needs."""

    def __init__(self, stem: str, detail: str, seconds: float) -> None:
        super().__init__(f"notebook {stem} {detail}")
        self.stem, self.detail, self.seconds = stem, detail, seconds
        self.lang = ""  # the language whose folder holds the executed copy (set by the run)
