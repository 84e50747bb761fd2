"""Frame contracts: the shape of every table a measure returns, as pandera models.

``CONTRACTS.md`` says in words what each table measure (``counts``, ``funding``, ``themes``,
``diversity``, ``timing``) returns; the models below say it so a test can check it — on
every function's result on the real data, and on the hand-made frames the plot tests draw —
so the measures and the charts cannot drift apart. Columns, dtypes, controlled
vocabularies, shares in [0, 1] and the key that makes each row unique are all checked.

Adding a measure is adding one small class here::

    @output_of("my_measure")
    class MyMeasure(YearTable):
        widget: Series[str] = vocab(WIDGETS)
        n_activities: Series[int] = count()

        class Config:
            unique = ["plan_year", "widget"]

(``tests/test_contracts.py`` fails while a measure returning a table has no model.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from gealc_analysis.data.contract import field_constraint
from gealc_analysis.data.vocabulary import (
    ACTIVITY_TYPES,
    FUNDING_MEASURES,
    IDB_INSTRUMENTS,
    SEMESTERS,
    TIMINGS,
    VENUE_MODES,
)

# How themes.theme_shifts reads the crosswalk between two plans (CONTRACTS.md).
SHIFT_RELATIONS = ("new", "retired", "renamed", "merged", "continued", "split")

CONTRACTS: dict[str, type[pa.DataFrameModel]] = {}


def output_of(function: str) -> Callable[[type[pa.DataFrameModel]], type[pa.DataFrameModel]]:
    """Register a model as the contract of the measure ``<function>``'s result."""

    def register(model: type[pa.DataFrameModel]) -> type[pa.DataFrameModel]:
        CONTRACTS[function] = model
        return model

    return register


def vocab(values: Iterable[str]) -> object:
    """A column whose values come from a controlled vocabulary."""
    return pa.Field(isin=list(values))


def funding_code() -> object:
    """A column of funding codes. The codes are data (``funding_codes.csv``; a data folder
    may add one, and the loader checks every plan's codes against its own), so a measure's
    result is checked for the form the schema gives a code, not against the project's list."""
    return pa.Field(str_matches=f"^(?:{field_constraint('funding_codes', 'code', 'pattern')})$")


def share() -> object:
    """A fraction in [0, 1] (not a percentage)."""
    return pa.Field(ge=0.0, le=1.0)


def count() -> object:
    """A count or a sum of counts: never negative."""
    return pa.Field(ge=0)


def validate(frame: pd.DataFrame, function: str) -> pd.DataFrame:
    """Check ``frame`` against the contract of the measure ``<function>``; every failure at once."""
    return CONTRACTS[function].validate(frame, lazy=True)


class Table(pa.DataFrameModel):
    """Base of every contract: exactly the listed columns (any order), no coercion."""

    class Config:
        strict = True
        coerce = False


class YearTable(Table):
    """A table with one block of rows per plan year."""

    plan_year: Series[int] = pa.Field(ge=1000, le=9999)


@output_of("count_by_area")
class CountByArea(YearTable):
    area_code: Series[str]
    area_name: Series[str] = pa.Field(nullable=True)
    theme: Series[str]
    n_activities: Series[int] = count()
    n_events: Series[int] = count()

    class Config:
        unique = ["plan_year", "area_code"]


@output_of("count_by_theme")
class CountByTheme(YearTable):
    theme: Series[str]
    theme_label_en: Series[str]
    theme_label_es: Series[str]
    n_activities: Series[int] = count()
    n_events: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "theme"]


@output_of("theme_table")
class ThemeTable(Table):
    theme: Series[str] = pa.Field(unique=True)
    theme_label_en: Series[str]
    theme_label_es: Series[str]


@output_of("theme_change")
class ThemeChange(Table):
    theme: Series[str] = pa.Field(unique=True)
    baseline_value: Series[int] = count()
    compare_value: Series[int] = count()
    change: Series[int]


@output_of("compare_years")
class CompareYears(Table):
    """One row per key of ``by`` (its column comes first and varies, so it is not listed)."""

    baseline_year: Series[int]
    compare_year: Series[int]
    pct_change: Series[float] = pa.Field(nullable=True)

    class Config:
        strict = False  # the <by> column and the label columns it carries

    @pa.dataframe_check(
        error="numeric baseline_value, compare_value and change (ints for "
        "counts, floats for shares)"
    )
    @classmethod
    def numeric_values(cls, frame: pd.DataFrame) -> bool:
        columns = ("baseline_value", "compare_value", "change")
        return all(c in frame and pd.api.types.is_numeric_dtype(frame[c]) for c in columns)

    @pa.dataframe_check(error="one row per key of the first (<by>) column")
    @classmethod
    def one_row_per_key(cls, frame: pd.DataFrame) -> bool:
        return bool(frame.iloc[:, 0].is_unique)

    @pa.dataframe_check(error="change = compare_value - baseline_value")
    @classmethod
    def change_is_the_difference(cls, frame: pd.DataFrame) -> pd.Series:
        return (frame["compare_value"] - frame["baseline_value"] - frame["change"]).abs() < 1e-9


@output_of("funding_dependence")
class FundingDependence(YearTable):
    source: Series[str] = funding_code()
    measure: Series[str] = vocab(FUNDING_MEASURES)
    value: Series[float] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "source", "measure"]


@output_of("idb_by_instrument")
class IdbByInstrument(YearTable):
    instrument: Series[str] = vocab(IDB_INSTRUMENTS)
    n_activities: Series[int] = count()
    share_of_idb: Series[float] = share()

    class Config:
        unique = ["plan_year", "instrument"]


@output_of("instrument_mix")
class InstrumentMix(YearTable):
    source: Series[str] = funding_code()
    instrument: Series[str] = vocab(IDB_INSTRUMENTS)
    n_activities: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "source", "instrument"]


@output_of("semester_load")
class SemesterLoad(YearTable):
    timing: Series[str] = vocab(TIMINGS)
    n_activities: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "timing"]


@output_of("semester_event_load")
class SemesterEventLoad(YearTable):
    timing: Series[str] = vocab((*SEMESTERS, "tbd"))
    n_events: Series[float] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "timing"]


@output_of("theme_shifts")
class ThemeShifts(Table):
    theme: Series[str] = pa.Field(unique=True)
    theme_label_en: Series[str]
    theme_label_es: Series[str]
    relation: Series[str] = vocab(SHIFT_RELATIONS)
    baseline_areas: Series[str]
    compare_areas: Series[str]


@output_of("agenda_diversity")
class AgendaDiversity(YearTable):
    plan_year: Series[int] = pa.Field(ge=1000, le=9999, unique=True)
    n_activities: Series[int] = count()
    n_themes_present: Series[int] = count()
    n_categories: Series[int] = pa.Field(ge=1)
    entropy: Series[float] = count()
    normalised_entropy: Series[float] = share()
    effective_n_themes: Series[float] = pa.Field(ge=1.0)


@output_of("activity_type_mix")
class ActivityTypeMix(YearTable):
    activity_type: Series[str] = vocab(ACTIVITY_TYPES)
    n_activities: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "activity_type"]


@output_of("venue_mix")
class VenueMix(YearTable):
    venue_mode: Series[str] = vocab(VENUE_MODES)
    n_activities: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "venue_mode"]


@output_of("plan_overview")
class PlanOverview(YearTable):
    plan_year: Series[int] = pa.Field(ge=1000, le=9999, unique=True)
    n_activities: Series[int] = count()
    n_events: Series[int] = count()
    n_areas: Series[int] = count()
    n_themes: Series[int] = count()
    n_funding_sources_mean: Series[float] = count()


# --- measures a researcher accepts (issue 10; CONTRACTS.md, "Measures a researcher accepts")


@output_of("source_counts")
class SourceCounts(YearTable):
    source: Series[str] = funding_code()
    n_activities: Series[int] = count()
    named: Series[int] = count()
    only_cash: Series[int] = count()
    only_resource: Series[int] = count()
    named_share: Series[float] = share()
    only_cash_share: Series[float] = share()
    only_resource_share: Series[float] = share()

    class Config:
        unique = ["plan_year", "source"]

    @pa.dataframe_check(error="only_cash, only_resource <= named <= n_activities")
    @classmethod
    def nested_counts(cls, frame: pd.DataFrame) -> pd.Series:
        return (
            (frame["only_resource"] <= frame["named"])
            & (frame["only_cash"] <= frame["named"])
            & (frame["named"] <= frame["n_activities"])
        )


@output_of("only_cash_among_cash")
class OnlyCashAmongCash(YearTable):
    source: Series[str] = funding_code()
    n_any_cash: Series[int] = count()
    only_cash: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "source"]

    @pa.dataframe_check(error="only_cash <= n_any_cash")
    @classmethod
    def nested(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["only_cash"] <= frame["n_any_cash"]


@output_of("project_codes")
class ProjectCodes(pa.DataFrameModel):
    code: Series[str] = funding_code()
    kind: Series[str] = pa.Field(isin=["cash", "staff_time"])
    in_kind_instruments: Series[str]

    class Config:
        unique = ["code"]


@output_of("cash_dependence")
class CashDependence(SourceCounts):
    source: Series[str] = funding_code()

    @pa.dataframe_check(error="only_resource <= only_cash (a cash source alone is its only cash)")
    @classmethod
    def only_resource_is_only_cash(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["only_resource"] <= frame["only_cash"]


@output_of("resource_mix")
class ResourceMix(YearTable):
    resources: Series[str] = vocab(("cash_only", "cash_and_staff_time", "staff_time_only"))
    n_activities: Series[int] = count()
    share: Series[float] = share()

    class Config:
        unique = ["plan_year", "resources"]


@output_of("semester_split_dated")
class SemesterSplitDated(YearTable):
    timing: Series[str] = vocab(TIMINGS)
    n_activities: Series[int] = count()
    n_events: Series[int] = count()
    n_dated: Series[int] = count()
    share_of_dated: Series[float] = pa.Field(ge=0.0, le=1.0, nullable=True)

    class Config:
        unique = ["plan_year", "timing"]


@output_of("agenda_evenness")
class AgendaEvenness(YearTable):
    plan_year: Series[int] = pa.Field(ge=1000, le=9999, unique=True)
    n_activities: Series[int] = count()
    n_themes_present: Series[int] = count()
    n_themes_crosswalk: Series[int] = pa.Field(ge=1)
    evenness_present: Series[float] = pa.Field(ge=0.0, le=1.0 + 1e-9, nullable=True)
    evenness_crosswalk: Series[float] = pa.Field(ge=0.0, le=1.0 + 1e-9, nullable=True)
    effective_n_themes: Series[float] = pa.Field(ge=1.0)
    n_policy_activities: Series[int] = count()
    n_policy_themes_present: Series[int] = count()
    effective_n_policy_themes: Series[float] = pa.Field(ge=1.0)
    evenness_policy: Series[float] = pa.Field(ge=0.0, le=1.0 + 1e-9, nullable=True)


@output_of("compare_years_with_small_bases")
class CompareYearsWithSmallBases(CompareYears):
    pct_suppressed: Series[bool]

    class Config:
        strict = False

    @pa.dataframe_check(error="pct_change is blank wherever pct_suppressed")
    @classmethod
    def suppressed_is_blank(cls, frame: pd.DataFrame) -> pd.Series:
        return ~frame["pct_suppressed"] | frame["pct_change"].isna()


@output_of("event_totals")
class EventTotals(YearTable):
    plan_year: Series[int] = pa.Field(ge=1000, le=9999, unique=True)
    n_activities: Series[int] = count()
    n_events: Series[int] = count()
    n_meeting_rows: Series[int] = count()
    events_from_meetings: Series[int] = count()
    share_from_meetings: Series[float] = share()
