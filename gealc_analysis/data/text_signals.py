"""Signals in the plans' text (``text_signals.csv``): passages quoted from the raw plans,
read and checked against them.

Some changes between plans are in the words, not in the counts: an objective that drops a
phrase, a resource that moves, a post that appears. Each row quotes one plan's side of such a
signal verbatim; the loader checks that the quote is in that year's raw text
(``data/raw/sources.yaml``) and computes the lines it spans, so every signal is traced to its
source lines and none is typed from memory. A folder without the file has no signals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, Problem, display_path
from gealc_analysis.data.datapackage import raw_sources
from gealc_analysis.data.side_tables import SCHEMAS_DIR_NAME, load_curated_table

TEXT_SIGNALS_FILE = "text_signals.csv"
SCHEMA_FILE = paths.DATA_DIR / SCHEMAS_DIR_NAME / "text_signals.schema.yaml"
COLUMNS = ("signal", "plan_year", "source_ref", "quote", "note_en", "note_es")
LINES = "lines"  # computed: the lines of the raw text each quote spans
RAW_FILE = "raw_file"  # computed: the raw text those lines are in (data/raw/<file>)
_SPACE = re.compile(r"\s+")


def text_signals_path(data_dir: Path | str | None = None) -> Path:
    return (Path(data_dir) if data_dir is not None else paths.CURATED_DIR) / TEXT_SIGNALS_FILE


def empty_text_signals() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in (*COLUMNS, RAW_FILE, LINES)})


def quote_lines(text: str, quote: str) -> list[tuple[int, int]]:
    """(first, last) line of every place ``quote`` occurs in ``text``, 1-based; runs of spaces
    and line breaks compare equal. Empty when the quote is not there."""
    words = _SPACE.split(quote.strip())
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words if word))
    return [
        (text.count("\n", 0, found.start()) + 1, text.count("\n", 0, found.end()) + 1)
        for found in pattern.finditer(text)
    ]


def lines_text(spans: list[tuple[int, int]]) -> str:
    """``"11"``, ``"367–370"`` or ``"167, 175, 183, 191"``: the lines a quote spans."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _raw_root(data_dir: Path) -> Path:
    """The data root whose raw/ holds the plans' texts: the folder's parent when it has one,
    else the project's (a copy of the curated tables alone still checks its quotes)."""
    root = data_dir.resolve().parent
    return root if (root / "raw" / "sources.yaml").is_file() else paths.DATA_DIR


def load_text_signals(plans: pd.DataFrame, data_dir: Path | str | None = None) -> pd.DataFrame:
    """The text signals about the loaded plans, each quote checked against its raw text, with
    the ``lines`` it spans; raises ``PlanDataError`` listing every quote not found."""
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    path = text_signals_path(folder)
    if not path.is_file():
        return empty_text_signals()
    frame, problems = load_curated_table(path, SCHEMA_FILE)
    if frame is None:
        raise PlanDataError(problems)
    frame = frame.astype({c: object for c in COLUMNS if c != "plan_year"})
    root = _raw_root(folder)
    sources = raw_sources(root)
    shown = display_path(path)
    texts: dict[int, str] = {}
    spans: list[str] = []
    files: list[str] = []
    for line, row in frame.iterrows():
        year = int(row["plan_year"])
        if year not in sources:
            problems.append(
                Problem(shown, int(line), "plan_year", "a year of data/raw/sources.yaml", str(year))
            )
            spans.append("")
            files.append("")
            continue
        files.append(f"raw/{sources[year]['path']}")
        raw = root / "raw" / str(sources[year]["path"])
        if year not in texts:
            texts[year] = raw.read_text(encoding="utf-8")
        found = quote_lines(texts[year], str(row["quote"]))
        if not found:
            problems.append(
                Problem(
                    shown,
                    int(line),
                    "quote",
                    f"the plan's words, verbatim, as raw/{sources[year]['path']} prints them",
                    str(row["quote"]),
                )
            )
        spans.append(lines_text(found))
    if problems:
        raise PlanDataError(problems)
    frame[RAW_FILE] = files
    frame[LINES] = spans
    years = {int(y) for y in plans["plan_year"].unique()}
    return frame[frame["plan_year"].astype(int).isin(years)].reset_index(drop=True)
