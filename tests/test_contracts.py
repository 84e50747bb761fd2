"""Every table a measure returns honours its contract (gealc_analysis.measures.contracts), on
the real data and in the hand-made frames the plot tests draw, so the two sides cannot drift
apart."""

from __future__ import annotations

import inspect

import pandas as pd
import pandera.pandas as pa
import pytest
import test_plots

from gealc_analysis.data import load_plans, load_themes
from gealc_analysis.measures import contracts, counts, diversity, funding, timing
from gealc_analysis.measures import themes as theme_measures

MEASURE_MODULES = (counts, funding, theme_measures, diversity, timing)
# Tables per activity or per funder, checked where they are defined (test_exposure).
NOT_CONTRACTED = {
    "source_flags",
    "resource_profile",
    "at_risk_activities",
    "exposure_by",
    "exposure_change",
}
MEASURES = {
    name: function
    for module in MEASURE_MODULES
    for name, function in inspect.getmembers(module, inspect.isfunction)
    if function.__module__ == module.__name__
    and not name.startswith("_")
    and inspect.signature(function).return_annotation == "pd.DataFrame"
    and name not in NOT_CONTRACTED
}
ANALYSIS_FUNCTIONS = sorted(MEASURES)


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    plans, themes = load_plans(), load_themes()
    return {
        "plans": plans,
        "themes": themes,
        "baseline_year": 2020,
        "compare_year": 2024,
        "counts": theme_measures.count_by_theme(plans, themes),
    }


def test_every_analysis_function_has_a_contract() -> None:
    assert sorted(contracts.CONTRACTS) == ANALYSIS_FUNCTIONS, (
        "add a model to gealc_analysis/measures/contracts.py for each new measure"
    )


@pytest.mark.parametrize("name", ANALYSIS_FUNCTIONS)
def test_each_analysis_result_on_the_real_data_honours_its_contract(
    name: str, data: dict[str, object]
) -> None:
    function = MEASURES[name]
    arguments = {
        parameter: data[parameter]
        for parameter in inspect.signature(function).parameters
        if parameter in data
    }
    contracts.validate(function(**arguments), name)


PLOT_FRAMES = {
    "count_by_area": test_plots.count_by_area_frame,
    "count_by_theme": test_plots.count_by_theme_frame,
    "compare_years": test_plots.compare_years_frame,
    "funding_dependence": test_plots.funding_dependence_frame,
    "idb_by_instrument": test_plots.idb_by_instrument_frame,
    "semester_load": test_plots.semester_load_frame,
    "semester_event_load": test_plots.semester_event_load_frame,
    "agenda_diversity": test_plots.agenda_diversity_frame,
    "activity_type_mix": test_plots.activity_type_mix_frame,
    "venue_mix": test_plots.venue_mix_frame,
}


@pytest.mark.parametrize("name", sorted(PLOT_FRAMES))
def test_the_frames_the_plot_tests_draw_honour_the_same_contract(name: str) -> None:
    contracts.validate(PLOT_FRAMES[name](), name)


def test_a_share_above_one_breaks_the_contract() -> None:
    frame = test_plots.semester_load_frame()
    frame.loc[0, "share"] = 1.5
    with pytest.raises(pa.errors.SchemaErrors, match="less_than_or_equal_to"):
        contracts.validate(frame, "semester_load")


def test_an_unknown_code_and_a_repeated_key_break_the_contract() -> None:
    frame = test_plots.venue_mix_frame()
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    frame.loc[1, "venue_mode"] = "hybrid"
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        contracts.validate(frame, "venue_mix")
    checks = set(caught.value.failure_cases["check"].astype(str))
    assert any(check.startswith("isin") for check in checks)
    assert "multiple_fields_uniqueness" in checks


def test_a_missing_column_breaks_the_contract() -> None:
    with pytest.raises(pa.errors.SchemaErrors, match="n_events"):
        contracts.validate(
            test_plots.count_by_theme_frame().drop(columns="n_events"), "count_by_theme"
        )
