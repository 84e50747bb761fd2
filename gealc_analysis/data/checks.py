"""The rules a Table Schema cannot state: across columns, across files, against a registry.

Each is a named :class:`pandera.Check` whose ``error`` is the message a person sees and
whose ``title`` is the cell they should fix (:func:`~gealc_analysis.data.schema.reported_on`).
A check passes a row whose inputs are missing or unreadable: those cells are already
reported by their own field, and one mistake should read as one problem.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa
import pycountry

from gealc_analysis.data import contract, vocabulary
from gealc_analysis.data.schema import reported_on

THEMES_FILE = contract.THEMES_FILE
FUNDING_CODES_FILE = contract.FUNDING_CODES_FILE
# Context columns the loader adds beside a plan's cells for the checks below (the messages
# name them in braces: they are filled from the failing row).
FILE_YEAR = "_file_year"
CROSSWALK_THEME, CROSSWALK_AREA_NAME = "_crosswalk_theme", "_crosswalk_area_name"
UNKNOWN_FUNDING = "_unknown_funding"  # the first code of the cell not in funding_codes.csv
KNOWN_FUNDING = "_known_funding"  # the codes of funding_codes.csv, for the message


@cache
def iso_alpha2_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from pycountry (no hand-kept list to go stale)."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _missing(frame: pd.DataFrame, *columns: str) -> pd.Series:
    return frame[list(columns)].isna().any(axis=1)


def _known_country(cells: pd.Series) -> pd.Series:
    return cells.isna() | cells.isin(iso_alpha2_codes())


def _canonical_funding(cells: pd.Series) -> pd.Series:
    canonical = cells.map(
        lambda cell: vocabulary.join_funding(vocabulary.split_funding(cell)), na_action="ignore"
    )
    return cells.isna() | cells.eq(canonical)


def _id_made_of_year_and_ref(frame: pd.DataFrame) -> pd.Series:
    made_of = frame["plan_year"].astype("str") + "-" + frame["source_ref"]
    ids = frame["activity_id"]
    base = ids.str.replace(vocabulary.REPEAT_SUFFIX, "", regex=True)
    repeat = base.eq(made_of) & base.ne(ids)
    return (ids.eq(made_of) | repeat).fillna(False).astype(bool) | _missing(
        frame, "activity_id", "plan_year", "source_ref"
    )


def _ref_inside_area(frame: pd.DataFrame) -> pd.Series:
    area_of_ref = frame["source_ref"].str.rsplit(".", n=1).str[0]
    return area_of_ref.eq(frame["area_code"]) | _missing(frame, "source_ref", "area_code")


def _instrument_iff_idb(frame: pd.DataFrame) -> pd.Series:
    names_idb = frame["funding_sources"].map(
        lambda cell: "idb" in vocabulary.split_funding(cell), na_action="ignore"
    )
    return names_idb.eq(frame["idb_instrument"].notna()) | frame["funding_sources"].isna()


def _country_only_on_site(frame: pd.DataFrame) -> pd.Series:
    return (
        frame["venue_country"].isna()
        | frame["venue_mode"].eq("on_site")
        | frame["venue_mode"].isna()
    )


def _year_of_file(frame: pd.DataFrame) -> pd.Series:
    return frame["plan_year"].eq(frame[FILE_YEAR]).fillna(False) | frame["plan_year"].isna()


def _area_in_crosswalk(frame: pd.DataFrame) -> pd.Series:
    return frame[CROSSWALK_THEME].notna() | _missing(frame, "plan_year", "area_code")


def _as_crosswalk_gives(column: str, given: str):
    def test(frame: pd.DataFrame) -> pd.Series:
        return frame[column].eq(frame[given]).fillna(False) | _missing(frame, column, given)

    return test


PLAN_COLUMN_CHECKS: dict[str, list[pa.Check]] = {
    "venue_country": [pa.Check(_known_country, name="iso_3166_alpha_2")],
    "funding_sources": [
        reported_on(
            "funding_sources",
            "the codes sorted alphabetically, each once",
            _canonical_funding,
            name="funding_canonical",
        )
    ],
}

PLAN_ROW_CHECKS: tuple[pa.Check, ...] = (
    reported_on(
        "plan_year",
        "{_file_year}, the year in the file name",
        _year_of_file,
        name="plan_year_of_file_name",
    ),
    reported_on(
        "activity_id",
        "the plan year and source_ref it is made of (<year>-<source_ref>)",
        _id_made_of_year_and_ref,
        name="activity_id_made_of_year_and_source_ref",
    ),
    reported_on(
        "source_ref",
        "a number inside its area_code (area_code + '.' + item)",
        _ref_inside_area,
        name="source_ref_inside_area_code",
    ),
    reported_on(
        "idb_instrument",
        "a value exactly when funding_sources includes idb",
        _instrument_iff_idb,
        name="idb_instrument_iff_idb_funds",
    ),
    reported_on(
        "venue_country",
        "an empty cell unless venue_mode is on_site",
        _country_only_on_site,
        name="venue_country_only_on_site",
    ),
)


def unknown_funding(cells: pd.Series, known: frozenset[str]) -> pd.Series:
    """The first code of each ``funding_sources`` cell that is not a known code (else NA)."""
    return cells.map(
        lambda cell: next((c for c in vocabulary.split_funding(cell) if c not in known), None),
        na_action="ignore",
    )


# Against funding_codes.csv (run when it loaded; the loader reads it once per load).
FUNDING_CODE_CHECKS: tuple[pa.Check, ...] = (
    reported_on(
        "funding_sources",
        "';'-separated codes of funding_codes.csv ({_known_funding}; add a new one there)",
        lambda frame: frame[UNKNOWN_FUNDING].isna() | frame["funding_sources"].isna(),
        name="funding_codes_known",
    ),
)

# Against the themes crosswalk (run when it loaded; the loader joins it once per load).
CROSSWALK_CHECKS: tuple[pa.Check, ...] = (
    reported_on(
        "area_code",
        "an area listed for {plan_year} in themes.csv (add it there or fix the row)",
        _area_in_crosswalk,
        name="area_in_crosswalk",
    ),
    reported_on(
        "theme",
        "'{_crosswalk_theme}' as themes.csv gives for {plan_year} {area_code} "
        "(fix the row or the crosswalk)",
        _as_crosswalk_gives("theme", CROSSWALK_THEME),
        name="theme_as_crosswalk",
    ),
    reported_on(
        "area_name",
        "'{_crosswalk_area_name}' as themes.csv gives for {plan_year} "
        "{area_code} (fix the row or the crosswalk)",
        _as_crosswalk_gives("area_name", CROSSWALK_AREA_NAME),
        name="area_name_as_crosswalk",
    ),
)

FIRST_LABEL = "_first_{}"
FIRST_LABEL_LINE = "_first_label_line"


def _same_label_everywhere(column: str):
    def test(frame: pd.DataFrame) -> pd.Series:
        first = frame[FIRST_LABEL.format(column)]
        return frame[column].eq(first).fillna(False) | _missing(frame, column, "theme")

    return test


THEME_ROW_CHECKS: tuple[pa.Check, ...] = tuple(
    reported_on(
        column,
        "the label theme {theme} has at line {_first_label_line} ('{_first_" + column + "}')",
        _same_label_everywhere(column),
        name=f"one_{column}_per_theme",
    )
    for column in ("theme_label_en", "theme_label_es")
)


def theme_label_context(frame: pd.DataFrame, line: pd.Series) -> pd.DataFrame:
    """Each row's theme labels and line as first given for its theme (for the checks above)."""
    by_theme = pd.concat([frame[["theme", "theme_label_en", "theme_label_es"]], line], axis=1)
    grouped = by_theme.groupby("theme", dropna=False, sort=False)
    return pd.DataFrame(
        {
            FIRST_LABEL.format("theme_label_en"): grouped["theme_label_en"].transform("first"),
            FIRST_LABEL.format("theme_label_es"): grouped["theme_label_es"].transform("first"),
            FIRST_LABEL_LINE: grouped[line.name].transform("first"),
        },
        index=frame.index,
    )
