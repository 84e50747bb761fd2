"""The build's two failures: one the user reads, one the runner passes up with its details."""

from __future__ import annotations


class BuildError(RuntimeError):
    """The report could not be built; the message says what failed and where to look."""


class NotebookFailed(Exception):
    """A notebook did not execute or render; carries what the BuildError message needs."""

    def __init__(self, stem: str, detail: str, seconds: float) -> None:
        super().__init__(f"notebook {stem} {detail}")
        self.stem, self.detail, self.seconds = stem, detail, seconds
