"""Funding exposure: named, fractional, only cash (at risk) and only resource, for any funder."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from frames import make_plans, make_themes
from test_plots import _ticks_outside_the_view

from gealc_analysis.charts import exposure as exposure_chart
from gealc_analysis.charts import style
from gealc_analysis.data import load_plans, load_themes
from gealc_analysis.measures import funding
from gealc_analysis.words import funding as funding_words
from gealc_analysis.words import i18n, narrative


def small_plans() -> pd.DataFrame:
    """2020: IDB alone; IDB + staff time; IDB + OAS; staff time only.
    2021: OAS + staff time; IDB alone."""
    return make_plans(
        [
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "funding_sources": "idb",
                "idb_instrument": "rpg",
                "title_en": "Alone",
                "title_es": "Solo",
            },
            {
                "plan_year": 2020,
                "area_code": "3.1",
                "theme": "t1",
                "funding_sources": "idb;working_group",
                "idb_instrument": "general",
                "title_en": "With time",
                "title_es": "Con tiempo",
            },
            {
                "plan_year": 2020,
                "area_code": "3.2",
                "theme": "t2",
                "funding_sources": "idb;oas",
                "idb_instrument": "consultant",
            },
            {
                "plan_year": 2020,
                "area_code": "3.2",
                "theme": "t2",
                "funding_sources": "member_countries",
            },
            {
                "plan_year": 2021,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.1",
                "funding_sources": "oas;working_group",
            },
            {
                "plan_year": 2021,
                "area_code": "3.1",
                "theme": "t1",
                "source_ref": "3.1.2",
                "funding_sources": "idb",
                "idb_instrument": "general",
            },
        ]
    )


def small_themes() -> pd.DataFrame:
    return make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2"},
            {"plan_year": 2021, "area_code": "3.1", "theme": "t1"},
        ]
    )


def test_resource_profile_splits_cash_from_staff_time():
    profile = funding.resource_profile(small_plans())
    assert profile["cash"].tolist() == ["idb", "idb", "idb;oas", "", "oas", "idb"]
    assert profile["staff_time"].tolist() == [
        "",
        "working_group",
        "",
        "member_countries",
        "working_group",
        "",
    ]
    assert profile["n_cash"].tolist() == [1, 1, 2, 0, 1, 1]


def test_exposure_by_year_counts_named_fractional_only_cash_and_only_resource():
    out = funding.exposure_by(small_plans(), small_themes(), "idb", by="year")
    first = out[out["plan_year"] == 2020].iloc[0]
    # 2020: 3 of 4 name IDB; weights 1 + 1/2 + 1/2 = 2; only cash in the first two (the third
    # also names OAS money); only resource in the first alone.
    assert (first["n_activities"], first["n_any_touch"]) == (4, 3)
    assert first["fractional"] == pytest.approx(2.0)
    assert first["fractional_share"] == pytest.approx(0.5)
    assert (first["n_only_cash"], first["n_sole_source"]) == (2, 1)
    assert first["only_cash_share"] == pytest.approx(0.5)
    second = out[out["plan_year"] == 2021].iloc[0]
    assert (second["n_any_touch"], second["n_only_cash"], second["n_sole_source"]) == (1, 1, 1)


def test_exposure_works_for_the_oas_the_same_way():
    out = funding.exposure_by(small_plans(), small_themes(), "oas", by="year")
    assert out["source"].unique().tolist() == ["oas"]
    assert out["n_any_touch"].tolist() == [1, 1]
    # 2020: OAS shares the cash with IDB → not only cash; 2021: OAS + staff time → only cash.
    assert out["n_only_cash"].tolist() == [0, 1]
    assert out["n_sole_source"].tolist() == [0, 0]


def test_exposure_by_theme_zero_fills_every_theme_in_every_year():
    out = funding.exposure_by(small_plans(), small_themes(), "idb", by="theme")
    assert list(zip(out["plan_year"], out["theme"], strict=True)) == [
        (2020, "t1"),
        (2020, "t2"),
        (2021, "t1"),
        (2021, "t2"),
    ]
    assert out["n_only_cash"].tolist() == [2, 0, 1, 0]
    assert out["theme_label_en"].tolist() == ["T1", "T2", "T1", "T2"]


def test_exposure_by_area_lists_the_areas_each_plan_prints_with_both_names():
    out = funding.exposure_by(small_plans(), small_themes(), "idb", by="area")
    assert list(zip(out["plan_year"], out["area_code"], strict=True)) == [
        (2020, "3.1"),
        (2020, "3.2"),
        (2021, "3.1"),
    ]
    assert out["area_name_es"].tolist() == ["Área 3.1", "Área 3.2", "Área 3.1"]
    assert out["n_any_touch"].tolist() == [2, 1, 1]


def test_a_staff_time_code_is_refused_as_a_funder_with_the_cash_codes_named():
    with pytest.raises(ValueError, match="cash resource, one of idb, oas"):
        funding.exposure_by(small_plans(), small_themes(), "working_group")


def test_at_risk_list_has_the_activities_whose_only_cash_is_the_funder():
    codes = funding.at_risk_activities(small_plans(), "idb")
    assert codes["other_resources"].tolist() == ["", "working_group", ""]
    assert "area_name" not in codes.columns, "the measure carries codes; words add names"
    out = funding_words.at_risk_table(codes, small_themes(), "es")
    assert out["activity_id"].tolist() == ["2020-3.1.1", "2020-3.1.2", "2021-3.1.2"]
    assert out["title_es"].tolist()[:2] == ["Solo", "Con tiempo"]
    assert out["area_name"].tolist() == ["Área 3.1"] * 3
    assert out["instrument"].tolist() == ["rpg", "general", "general"]
    none = i18n.label("narrative.none", "es")
    assert out["other_resources"].tolist() == [
        none,
        i18n.code_label("funding", "working_group", "es"),
        none,
    ]
    assert out.columns[:5].tolist() == [
        "plan_year",
        "source_ref",
        "title_en",
        "title_es",
        "area_name",
    ]
    assert out["sole_source"].tolist() == [True, False, True]


def test_at_risk_list_for_a_funder_without_instruments_has_no_instrument_column():
    out = funding.at_risk_activities(small_plans(), "oas")
    assert out["activity_id"].tolist() == ["2021-3.1.1"]
    assert "instrument" not in out.columns


def test_instrument_mix_counts_instruments_and_is_empty_for_the_oas():
    mix = funding.instrument_mix(small_plans(), "idb")
    got = {(r.plan_year, r.instrument): r.n_activities for r in mix.itertuples()}
    assert got == {
        (2020, "rpg"): 1,
        (2020, "consultant"): 1,
        (2020, "general"): 1,
        (2021, "rpg"): 0,
        (2021, "consultant"): 0,
        (2021, "general"): 1,
    }
    assert funding.instrument_mix(small_plans(), "oas").empty


def test_change_between_plans_gives_counts_and_shares_of_each_plan():
    by_year = funding.exposure_by(small_plans(), small_themes(), "idb")
    change = funding.exposure_change(by_year, 2020, 2021).set_index("measure")
    assert change.loc["only_cash", "baseline_value"] == 2
    assert change.loc["only_cash", "compare_value"] == 1
    assert change.loc["only_cash", "change"] == -1
    assert change.loc["only_cash", "compare_share"] == pytest.approx(0.5)


def test_instrument_not_stated_replaces_general_support_in_both_languages():
    assert i18n.code_label("idb_instrument", "general", "en") == "Instrument not stated"
    assert i18n.code_label("idb_instrument", "general", "es") == "Instrumento sin especificar"


def test_words_name_resources_and_never_claim_a_share_of_funding():
    by_year = funding.exposure_by(small_plans(), small_themes(), "idb")
    for lang in ("en", "es"):
        text = funding_words.summary(by_year, lang) + funding_words.finding_title(by_year, lang)
        assert "funds" not in text and "financia " not in text
    assert "name the IDB as a resource" in funding_words.summary(by_year, "en")


def test_spanish_sentences_keep_the_gender_of_each_funder():
    for funder, article in (("idb", "nombran al BID"), ("oas", "nombran a la OEA")):
        by_year = funding.exposure_by(small_plans(), small_themes(), funder)
        assert article in funding_words.summary(by_year, "es")


def test_real_plans_idb_is_the_only_cash_for_13_activities_in_2020_and_11_in_2024():
    """Checked against the raw plans: 2020 prints IDB (RPG, consultant or plain) in 13
    resources lines and OAS in none; 2024 prints BID in 11 and never beside OEA."""
    plans, themes = load_plans(), load_themes()
    at_risk = funding.at_risk_activities(plans, "idb")
    assert at_risk.groupby("plan_year").size().to_dict() == {2020: 13, 2024: 11}
    by_year = funding.exposure_by(plans, themes, "idb").set_index("plan_year")
    assert by_year.loc[2020, "n_sole_source"] == 12
    assert by_year.loc[2024, "n_sole_source"] == 1


def test_exposure_chart_title_states_the_finding_from_the_data():
    by_year = funding.exposure_by(small_plans(), small_themes(), "idb")
    fig = exposure_chart.plot_exposure(by_year, lang="en")
    title = style.figure_text(fig, style.TITLE_GID)
    assert "2 of 4 activities in 2020 and 1 of 2 activities in 2021" in title


def test_exposure_chart_uses_the_report_sizes_and_grey_per_year_in_both_layouts():
    """No sizes of its own: every text 11 to 14 pt, inside the figure, in both layouts."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    by_year = funding.exposure_by(small_plans(), small_themes(), "idb")
    desktop = exposure_chart.plot_exposure(by_year, lang="es")
    for layout in style.LAYOUTS:
        fig = style.in_layout(desktop, layout)
        assert fig.get_figwidth() == style.LAYOUTS[layout].width_in
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        undrawn = {id(t) for t in _ticks_outside_the_view(fig)}
        shown = [
            t
            for t in fig.findobj(Text)
            if t.get_text() and t.get_visible() and id(t) not in undrawn
        ]
        assert {t.get_fontsize() for t in shown} <= set(style.FONT_PT.values())
        for text in shown:
            box = text.get_window_extent(renderer)
            assert box.x1 <= fig.bbox.x1 + 1 and box.y1 <= fig.bbox.y1 + 1, text.get_text()
        assert "1 de 2" in {t.get_text() for t in shown}
        fills = {matplotlib.colors.to_hex(p.get_facecolor()) for ax in fig.axes for p in ax.patches}
        assert fills == {style.year_colour(2020).lower(), style.year_colour(2021).lower()}


def test_comparing_a_plan_with_itself_reports_no_change():
    by_year = funding.exposure_by(small_plans(), small_themes(), "idb")
    text = funding_words.change_summary(funding.exposure_change(by_year, 2020, 2020), "en")
    assert text == narrative.no_comparison(2020, "en")


def test_source_flags_work_for_any_code_and_only_cash_is_never_staff_time():
    plans = small_plans()
    flags = funding.source_flags(plans, "working_group")
    assert not flags["only_cash"].any(), "staff time is never an activity's only cash"
    assert flags["named"].sum() == funding.source_counts(plans, ("working_group",))["named"].sum()
    idb = funding.source_flags(plans, "idb")
    by_year = funding.exposure_by(plans, small_themes(), "idb").set_index("plan_year")
    years = plans["plan_year"].astype(int).to_numpy()
    assert idb["only_cash"].groupby(years).sum().to_dict() == by_year["n_only_cash"].to_dict()


def test_resource_mix_carries_codes_and_words_add_the_labels():
    mix = funding.resource_mix(small_plans())
    assert not [c for c in mix.columns if "label" in c]
    labelled = funding_words.with_resource_labels(mix)
    assert labelled["resources_label_en"].iloc[0] == i18n.label(
        f"resources.{mix['resources'].iloc[0]}", "en"
    )
