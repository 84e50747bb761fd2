"""Which themes are policy topics and which run the network (``theme_kinds.csv``).

Three themes of the crosswalk (the annual meeting and awards, communication, creating new
working groups) organise the network rather than name a policy field; agenda diversity over
policy themes leaves them out. The choice is data, with its reason in each row and in the
codebook. A crosswalk theme without a row counts as policy, with a warning, so adding a
year's plan with a new theme still just works.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, Problem, display_path, read_raw_table
from gealc_analysis.data.alternatives import COLUMNS, alternatives_path
from gealc_analysis.data.side_tables import SCHEMAS_DIR_NAME, load_curated_table

THEME_KINDS_FILE = "theme_kinds.csv"
SCHEMA_FILE = paths.DATA_DIR / SCHEMAS_DIR_NAME / "theme_kinds.schema.yaml"


class UnclassifiedThemeWarning(UserWarning):
    """A crosswalk theme has no kind yet: it counts as a policy theme."""


def load_theme_kinds(
    themes: pd.DataFrame,
    data_dir: Path | str | None = None,
    alternatives: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """theme, kind, note for every theme; raises ``PlanDataError`` on a bad file.

    A row must name a theme of the crosswalk or one an alternative coding creates (from
    ``alternatives``, else read from the folder's alternatives file); a crosswalk theme missing
    from the file is added as policy with an ``UnclassifiedThemeWarning``.
    """
    folder = Path(data_dir) if data_dir is not None else paths.CURATED_DIR
    path = folder / THEME_KINDS_FILE
    known = set(themes["theme"].astype(str)) | _alternative_themes(folder, alternatives)
    if path.is_file():
        frame, problems = load_curated_table(path, SCHEMA_FILE)
        if frame is None:
            raise PlanDataError(problems)
        frame = frame.astype(object)
        problems = [
            Problem(
                display_path(path),
                int(line),
                "theme",
                "a theme key of themes.csv or alternative_codings.csv",
                str(theme),
            )
            for line, theme in frame["theme"].items()
            if str(theme) not in known
        ]
        if problems:
            raise PlanDataError(problems)
        frame = frame.reset_index(drop=True)
    else:
        frame = pd.DataFrame({"theme": [], "kind": [], "note": []}, dtype=object)
    missing = sorted(set(themes["theme"].astype(str)) - set(frame["theme"]))
    if missing:
        warnings.warn(
            f"themes without a kind in {display_path(path)} count as policy: {', '.join(missing)}",
            UnclassifiedThemeWarning,
            stacklevel=2,
        )
        frame = pd.concat(
            [frame, pd.DataFrame({"theme": missing, "kind": "policy", "note": ""})],
            ignore_index=True,
        )
    return frame


def _alternative_themes(folder: Path, alternatives: pd.DataFrame | None) -> set[str]:
    """Theme keys that alternative codings set (the file is validated where it is applied)."""
    if alternatives is None:
        path = alternatives_path(folder)
        if not path.is_file():
            return set()
        raw, _ = read_raw_table(path, COLUMNS)
        alternatives = raw.frame
    if not len(alternatives) or "column" not in alternatives:
        return set()
    return set(alternatives.loc[alternatives["column"] == "theme", "value"].astype(str))
