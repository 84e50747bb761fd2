"""Which plan years a run covers, and which two it compares: one resolution for everyone.

The CLI, the build and a notebook run by hand all accept years in the forms people type
and the same defaults (every plan; baseline = earliest, comparison = latest), so they
resolve them here and a report never disagrees with its own command line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# ASCII digits only: ``int()`` and ``\d`` also accept Arabic-Indic or full-width digits, which
# would let "٢٠٢٤" pass for 2024 on the command line while no file name can match it.
YEAR_PATTERN = re.compile(r"[0-9]{4}")


def parse_years(years: object) -> list[int] | None:
    """Plan years in the forms people type: None, [2020, 2024], "2020,2024" or 2024.

    Raises ValueError on anything that is not a year; None (or empty) means every plan.
    """
    if years is None or years == "" or years == []:
        return None
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        parts = years.replace(" ", "").strip("[]").split(",")
        return [_year(part) for part in parts if part]
    return [_year(str(year)) for year in years]  # type: ignore[union-attr]


def _year(text: str) -> int:
    """A four-digit year written in ASCII digits, else ValueError naming what was found."""
    if not YEAR_PATTERN.fullmatch(text):
        raise ValueError(f"expected a four-digit year like 2024, found {text!r}")
    return int(text)


def comparison_years(
    years: Sequence[int], baseline_year: int | None, compare_year: int | None, among: str
) -> tuple[int, int]:
    """The baseline and comparison year: the earliest and latest unless given, and then
    required to be among ``years`` (``among`` names that set in the error)."""
    present = sorted(years)
    baseline = present[0] if baseline_year is None else int(baseline_year)
    compare = present[-1] if compare_year is None else int(compare_year)
    for role, year in (("baseline", baseline), ("compare", compare)):
        if year not in present:
            raise ValueError(f"{role} year {year} is not among the {among} {present}")
    return baseline, compare
