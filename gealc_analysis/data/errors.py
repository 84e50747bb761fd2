"""What a broken data contract looks like to the person who must fix it.

A :class:`Problem` is one violation located as ``file:line: column``; a
:class:`PlanDataError` carries every problem found at once, so one run of
``gealc-report validate`` lists all there is to fix, not the first thing that broke.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

# A message listing 100 000 duplicated ids helps nobody: the first ones show the pattern.
SHOWN_PROBLEMS = 50
# The column of the problem that says where a capped scan of a table stopped
# (``schema.check_cells``): always shown, after the others, so the count is read right.
SCAN_STOPPED, NOT_SCANNED = "rows", "rows not checked yet"


_VISIBLE = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _visible(text: str) -> str:
    """``text`` on one line, invisible characters named: a line break as ``\\n``, a
    zero-width space or a no-break space as ``\\u200b`` / ``\\u00a0`` (else a cell
    refused for a hidden "=" or a trailing no-break space would look fine)."""
    text = text.translate(_VISIBLE)
    if text.isascii():
        return text
    return "".join(
        f"\\u{ord(char):04x}"
        if char != " " and unicodedata.category(char) in ("Cf", "Zs")
        else char
        for char in text
    )


@dataclass(frozen=True, order=True)
class Problem:
    """One violation of the data contract, located precisely enough to fix by hand."""

    path: str
    line: int
    column: str
    expected: str
    found: str

    def __str__(self) -> str:
        shown = _visible(self.found)
        found = f"'{shown}'" if self.found != "" else "an empty cell"
        where = f"{self.path}:{self.line}" if self.line else self.path  # 0: the file or folder
        return f"{where}: {self.column}: expected {self.expected}, found {found}"


class PlanDataError(ValueError):
    """Raised when curated data breaks the contract; ``problems`` lists every violation.

    The message shows the first :data:`SHOWN_PROBLEMS` and counts the rest; ``problems``
    holds them all, in file, line and column order. A table whose cell checks stopped at
    their cap (``schema.check_cells``) adds one :data:`SCAN_STOPPED` problem saying where;
    it is always shown, last.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems), key=_problem_sort_key)
        stops = [p for p in self.problems if p.column == SCAN_STOPPED and p.found == NOT_SCANNED]
        listed = [p for p in self.problems if p not in stops]
        count = len(listed)
        header = f"{count} problem{'s' if count != 1 else ''} in the curated data:"
        shown = [str(problem) for problem in listed[:SHOWN_PROBLEMS]]
        if len(listed) > SHOWN_PROBLEMS:
            shown.append(f"… and {len(listed) - SHOWN_PROBLEMS} more")
        shown += [str(stop) for stop in stops]
        super().__init__("\n".join([header, *shown]))


# Within a line: what is wrong with the file or the row first, then cells in column order.
_WHOLE = ("folder", "file name", "years", "file", "header", "row")


@cache
def _column_order() -> dict[str, int]:
    # The columns come from the schemas, which report their problems with this module.
    from gealc_analysis.data import vocabulary

    columns = _WHOLE + vocabulary.PLAN_COLUMNS + vocabulary.THEME_COLUMNS
    return {name: i for i, name in enumerate(dict.fromkeys(columns))}


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str, str, str]:
    # ``found`` last: two problems alike but for the cell found (two unknown header names)
    # were listed in the order of a set of them, which changes from run to run.
    return (
        problem.path,
        problem.line,
        _column_order().get(problem.column, 99),
        problem.column,
        problem.expected,
        problem.found,
    )
