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


def report_state(error: BaseException) -> str:
    """Which report is in place after ``error`` stopped a build: the swap that publishes a
    report records it on the exception (``build.publish``), since a signal may land after the
    new report is in place; before the swap, the last report is untouched."""
    return str(getattr(error, "report_state", REPORT_UNCHANGED))


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
