"""Write a plan back in the one canonical CSV form the curated files are kept in."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from gealc_analysis.core.outputs import write_text_atomically
from gealc_analysis.data import vocabulary


def plans_to_text(plans: pd.DataFrame) -> pd.DataFrame:
    """The inverse of typing: every cell back to the text the CSV holds."""
    text = plans[list(vocabulary.PLAN_COLUMNS)].copy()
    for column in text.columns:
        text[column] = text[column].astype("object").where(text[column].notna(), "")
        text[column] = text[column].map(str)
    return text


def write_plan(plans: pd.DataFrame, path: Path | str) -> Path:
    """Write one year's activities in the canonical CSV form (UTF-8, ``\\n``, minimal quoting).

    The curated files are kept in exactly this form, so load → write reproduces them
    byte for byte and diffs in review show only real edits. The file is replaced whole
    (written beside it, then renamed), so an interrupted write never leaves half a plan.
    """
    target = Path(path)
    text = plans_to_text(plans)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(vocabulary.PLAN_COLUMNS)
    writer.writerows(text.itertuples(index=False, name=None))
    return write_text_atomically(target, buffer.getvalue())
