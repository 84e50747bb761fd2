"""Fuzzing the loader: whatever a hand edit does to a plan or the crosswalk, ``load_plans``
returns a valid typed frame or raises PlanDataError with located messages — never any
other exception, never a half-loaded frame.

Budget in CI: 200 generated examples (``max_examples=200``, no per-example deadline), each a
copy of the 2024 plan and the crosswalk mutated 1–4 times by random bytes, truncation,
deleted or repeated lines, stray quotes and commas, re-encoding (Latin-1, UTF-16, cp1252)
and extreme cell values; about 23 s on the shared 2-core machine (800 random examples
also passed once locally, 135 s). The count is kept: nearly all of an example's ~0.1 s is
``load_plans`` itself (its pandera pass), not the test's setup, and fewer examples find
fewer kinds of problem (distinct "column: expected …" messages found by the first 50, 100
and 200 examples: 34, 44, 71; lines of ``gealc_analysis.data`` run: 527, 527, 529).

Beside it, smaller properties: a data folder with unsafe entries (symlinks out, loops,
FIFOs, sockets, a folder linked into itself) in ``curated/`` and ``raw/`` refuses each and
reads none (every name with every kind, in ten folders, and a few random mixes); formula
look-alikes (any invisible prefix, full-width or small forms) are neutralised, exactly
those; numeric options and ``SOURCE_DATE_EPOCH`` are bounded whole numbers or refused.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gealc_analysis import cli
from gealc_analysis.core import paths, provenance
from gealc_analysis.core.outputs import is_formula_like, neutralise_cell
from gealc_analysis.data import PlanDataError, load_plans, vocabulary
from gealc_analysis.data.files import folder_problems


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
    " =1+1",
    "\u200b=1+1",
    "＝SUM(1)",
    "\ufe62cmd",
    "@x",
    "[link](http://x.test)",
    "![pixel](http://x.test/p.png)",
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


# ------------------------------------------------------------------ what the folders hold

ENTRY_KINDS = (
    "regular",
    "link_inside",
    "link_outside",
    "link_to_outside_folder",
    "loop",
    "dangling",
    "fifo",
    "socket",
    "folder",
    "folder_link_up",
)
# The kinds a data folder must refuse (each named in a problem, none read).
REFUSED = {"link_outside", "link_to_outside_folder", "loop", "fifo", "socket", "folder_link_up"}
SECRET = "SECRET-CONTENT-NEVER-SHOWN"


def make_entry(folder: Path, name: str, kind: str, outside: Path) -> None:
    path = folder / name
    if kind == "regular":
        path.write_text("a,b\n", encoding="utf-8")
    elif kind == "link_inside":
        (folder / f"{name}.target").write_text("a,b\n", encoding="utf-8")
        path.symlink_to(f"{name}.target")
    elif kind == "link_outside":
        path.symlink_to(outside / "secret.csv")
    elif kind == "link_to_outside_folder":
        path.symlink_to(outside, target_is_directory=True)
    elif kind == "loop":
        path.symlink_to(name)
    elif kind == "dangling":
        path.symlink_to(f"{name}.gone")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        here = Path.cwd()
        os.chdir(folder)  # a socket's path is limited to ~100 bytes
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(name)
        finally:
            os.chdir(here)
    elif kind == "folder":
        path.mkdir()
    else:  # folder_link_up: a folder linked to the one it is in
        path.symlink_to(".", target_is_directory=True)


CURATED_NAMES = ["plan_2030.csv", "plan_2031.CSV", "leak.csv", "x", "notes.txt"]
RAW_NAMES = ["leak.txt", "sub", "y"]


# Every name of each folder holds every kind of entry once over the ten folders (a Latin
# square: folder i gives name j the kind i + j), each beside four (curated) or two (raw)
# other kinds: every (name, kind) pair is checked, which 60 random examples did not promise.
@pytest.mark.parametrize("shift", range(len(ENTRY_KINDS)))
def test_each_name_of_a_data_folder_refuses_each_unsafe_kind_and_reads_none(shift: int) -> None:
    kinds = ENTRY_KINDS[shift:] + ENTRY_KINDS[:shift]
    curated = dict(zip(CURATED_NAMES, kinds, strict=False))
    raw = dict(zip(RAW_NAMES, kinds[1:], strict=False))
    check_data_folder(curated, raw)


# Random mixes besides (none to four entries, any kinds, repeats): 15 examples, the
# covering above having every pair; each example is a full ``load_plans`` (~0.1 s).
@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    entries=st.dictionaries(
        st.sampled_from(CURATED_NAMES),
        st.sampled_from(ENTRY_KINDS),
        max_size=4,
    ),
    raw_entries=st.dictionaries(
        st.sampled_from(RAW_NAMES), st.sampled_from(ENTRY_KINDS), max_size=3
    ),
)
def test_a_data_folder_refuses_every_unsafe_entry_and_reads_none_of_them(
    entries: dict[str, str], raw_entries: dict[str, str]
) -> None:
    check_data_folder(entries, raw_entries)


def check_data_folder(entries: dict[str, str], raw_entries: dict[str, str]) -> None:
    """``entries`` made in a copy of ``curated/`` and ``raw_entries`` in ``raw/``: the loader
    and ``folder_problems`` name each refused one, and the secret outside is never shown."""
    with tempfile.TemporaryDirectory() as scratch:
        root, outside = Path(scratch) / "data", Path(scratch) / "outside"
        folder, raw = root / "curated", root / "raw"
        for made in (folder, raw, outside):
            made.mkdir(parents=True)
        (outside / "secret.csv").write_text(SECRET + "\n", encoding="utf-8")
        for name in ("plan_2024.csv", "themes.csv", "funding_codes.csv"):
            (folder / name).write_bytes(curated_bytes(name))
        for name, kind in entries.items():
            make_entry(folder, name, kind, outside)
        for name, kind in raw_entries.items():
            make_entry(raw, name, kind, outside)
        named: set[str] = set()
        try:
            load_plans(folder)
        except PlanDataError as error:
            assert SECRET not in str(error)
            for problem in error.problems:
                assert LOCATED.match(str(problem)), str(problem)
                named.add(Path(problem.path).name)
        refused = {name for name, kind in entries.items() if kind in REFUSED}
        assert refused <= named, f"not refused: {refused - named}"
        _, raw_problems = folder_problems(raw, within=root)
        raw_refused = {name for name, kind in raw_entries.items() if kind in REFUSED}
        assert {Path(p.path).name for p in raw_problems} == raw_refused
        assert SECRET not in "\n".join(map(str, raw_problems))


# ------------------------------------------------------------------ formulas, by character class

# What a spreadsheet skips before reading a formula: spaces and invisible format characters.
INVISIBLE = st.sampled_from(
    [" ", "\u00a0", "\u2003", "\u3000", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
)
TRIGGERS = st.sampled_from(["=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(lead=st.lists(INVISIBLE, max_size=4).map("".join), trigger=TRIGGERS, rest=st.text())
def test_any_look_alike_formula_is_neutralised(lead: str, trigger: str, rest: str) -> None:
    text = lead + trigger + rest
    assert is_formula_like(text)
    assert neutralise_cell(text) == "'" + text


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=st.text())
def test_text_is_neutralised_exactly_when_its_first_visible_character_is_a_trigger(
    text: str,
) -> None:
    visible = [
        c
        for c in unicodedata.normalize("NFKC", text)
        if not (c.isspace() or unicodedata.category(c) in ("Cf", "Zs"))
    ]
    formula = text[:1] in ("\t", "\r") or (visible[:1] != [] and visible[0] in "=+-@")
    assert (neutralise_cell(text) != text) == formula


@given(number=st.one_of(st.integers(), st.floats()))
def test_numbers_stay_numbers(number: float) -> None:
    assert neutralise_cell(number) is number


# ------------------------------------------------------------------ numeric options


@given(text=st.text(max_size=30))
def test_a_numeric_option_is_a_bounded_whole_number_or_a_usage_error(text: str) -> None:
    for parse, low in ((cli._cell_seconds, 1), (cli._wait_seconds, 0), (cli._jobs, 1)):
        try:
            value = parse(text)
        except argparse.ArgumentTypeError as error:
            assert "expected a whole number from" in str(error)
        else:
            high = cli.MAX_JOBS if parse is cli._jobs else cli.MAX_SECONDS
            assert type(value) is int and low <= value <= high


# ------------------------------------------------------------------ environment


@given(text=st.text(max_size=24))
def test_source_date_epoch_is_a_date_from_1970_to_2100_or_refused(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if "\x00" in text:
            return  # an environment variable cannot hold NUL
        patch.setenv("SOURCE_DATE_EPOCH", text)
        try:
            epoch = provenance.source_date_epoch()
        except ValueError as error:
            assert "SOURCE_DATE_EPOCH must be a whole number" in str(error)
            return
    assert epoch is None if not text.strip() else 0 <= epoch <= provenance.LAST_EPOCH
