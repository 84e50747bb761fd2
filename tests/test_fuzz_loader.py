"""Fuzzing the loader: whatever a hand edit does to a plan or the crosswalk, ``load_plans``
returns a valid typed frame or raises PlanDataError with located messages — never any
other exception, never a half-loaded frame.

Budget in CI: 200 generated examples (``max_examples=200``, no per-example deadline), each a
copy of the 2024 plan and the crosswalk mutated 1–4 times by random bytes, truncation,
deleted or repeated lines, stray quotes and commas, re-encoding (Latin-1, UTF-16, cp1252)
and extreme cell values; about 23 s on the shared 2-core machine (800 random examples
also passed once locally, 135 s).
"""

from __future__ import annotations

import re
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans, vocabulary


@cache
def curated_bytes(name: str) -> bytes:
    """A curated file as bytes, read when the first example is drawn (not at import)."""
    return (paths.CURATED_DIR / name).read_bytes()


EXTREME_CELLS = [
    "",
    " ",
    "9" * 40,
    "-1",
    "0",
    "367",
    "1e309",
    "NaN",
    "None",
    "\u0663",
    "２０２４",
    '"',
    '""',
    "a,b",
    "\n",
    "\r",
    "\x00",
    "=1+1",
    "<img src=x onerror=alert(1)>",
    "é" * 5000,
    "3.9ii.4",
    "2024-3.1.1",
    "idb",
    "idb;idb",
    "on_site",
    "\ufeff",
    "\u202e",
    "\\d",
]
# Where a problem is: the folder or file, optionally a line, then a column, then the rule.
LOCATED = re.compile(
    r"^(?P<path>[^\n]+?)(:(?P<line>[0-9]+))?: (?P<column>[^:\n]+): "
    r"expected .+, found .+$",
    re.DOTALL,
)


def original_or_mutated(name: str) -> st.SearchStrategy[bytes]:
    """The curated file as it is, or broken (data read lazily, when examples are drawn)."""
    return st.deferred(
        lambda: st.one_of(st.just(curated_bytes(name)), mutated(curated_bytes(name)))
    )


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` broken in 1–4 ways a hand edit (or a bad export) could break it."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                [
                    "bytes",
                    "truncate",
                    "drop_line",
                    "repeat_line",
                    "quote",
                    "comma",
                    "encoding",
                    "cell",
                ]
            )
        )
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        lines = data.split(b"\n")
        line = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "drop_line":
            data = b"\n".join(lines[:line] + lines[line + 1 :])
        elif kind == "repeat_line":
            data = b"\n".join(lines[: line + 1] + lines[line:])
        elif kind == "quote":
            data = data[:at] + b'"' + data[at:]
        elif kind == "comma":
            data = data[:at] + b"," + data[at:]
        elif kind == "encoding":
            codec = draw(st.sampled_from(["latin-1", "utf-16", "cp1252"]))
            data = data.decode("utf-8", errors="replace").encode(codec, errors="replace")
        else:
            data = _set_random_cell(
                data, line, draw(st.integers(0, 30)), draw(st.sampled_from(EXTREME_CELLS))
            )
    return data


def _set_random_cell(data: bytes, line: int, column: int, value: str) -> bytes:
    lines = data.split(b"\n")
    if line >= len(lines):
        return data
    cells = lines[line].split(b",")
    cells[column % len(cells)] = value.encode("utf-8")
    lines[line] = b",".join(cells)
    return b"\n".join(lines)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    plan=original_or_mutated("plan_2024.csv"),
    themes=original_or_mutated("themes.csv"),
    codes=original_or_mutated("funding_codes.csv"),
)
def test_the_loader_returns_a_valid_frame_or_located_problems_and_nothing_else(
    plan: bytes, themes: bytes, codes: bytes
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "plan_2024.csv").write_bytes(plan)
        (folder / "themes.csv").write_bytes(themes)
        (folder / "funding_codes.csv").write_bytes(codes)
        try:
            plans = load_plans(folder)
        except PlanDataError as error:
            assert error.problems, "a PlanDataError always lists its problems"
            for problem in error.problems:
                text = str(problem)
                match = LOCATED.match(text)
                assert match, f"not located as file:line: column: expected …, found …: {text!r}"
                assert match["path"].startswith(scratch), text
            return
    assert list(plans.columns) == list(vocabulary.PLAN_COLUMNS)
    assert len(plans) > 0
    assert plans["plan_year"].dtype == "int64"
    assert plans["frequency_per_year"].between(1, 366).all()
    assert plans["activity_id"].is_unique
    assert isinstance(plans["timing"].dtype, pd.CategoricalDtype)
    assert plans["timing"].notna().all()
