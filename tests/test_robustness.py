"""The multiverse: every headline recomputed under every combination of alternatives."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.data.bundle import load_bundle
from gealc_analysis.measures import counts, diversity, funding, robustness
from gealc_analysis.measures import themes as theme_measures
from gealc_analysis.words import robustness as robustness_words


def alternatives_frame(rows: list[tuple[str, str, bool, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["decision", "alternative", "primary", "table", "row_id", "column", "value"]
    ).assign(note="x")


@pytest.fixture
def plans() -> pd.DataFrame:
    """2020: 4 activities (IDB alone, IDB + staff, staff, a meeting 24 a year);
    2024: 5 activities (IDB + staff ×2, OAS + staff, staff, a meeting tbd 4 a year)."""
    return make_plans(
        [
            {"plan_year": 2020, "funding_sources": "idb", "idb_instrument": "rpg", "timing": "S1"},
            {
                "plan_year": 2020,
                "funding_sources": "idb;working_group",
                "idb_instrument": "rpg",
                "timing": "S2",
            },
            {
                "plan_year": 2020,
                "funding_sources": "working_group",
                "timing": "S2",
                "theme": "t2",
                "area_code": "3.2",
            },
            {
                "plan_year": 2020,
                "activity_id": "2020-m",
                "funding_sources": "working_group",
                "timing": "year_round",
                "frequency_per_year": 24,
            },
            {
                "plan_year": 2024,
                "funding_sources": "idb;member_countries",
                "idb_instrument": "general",
                "timing": "S1",
            },
            {
                "plan_year": 2024,
                "funding_sources": "idb;member_countries",
                "idb_instrument": "general",
                "timing": "S1",
            },
            {
                "plan_year": 2024,
                "funding_sources": "oas;working_group",
                "theme": "t3",
                "area_code": "3.2",
            },
            {
                "plan_year": 2024,
                "funding_sources": "working_group",
                "theme": "t3",
                "area_code": "3.2",
            },
            {
                "plan_year": 2024,
                "activity_id": "2024-m",
                "funding_sources": "working_group",
                "timing": "tbd",
                "frequency_per_year": 4,
            },
        ]
    )


@pytest.fixture
def themes() -> pd.DataFrame:
    return make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2", "relation": "retired"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "t3", "relation": "new"},
        ]
    )


CADENCE = alternatives_frame(
    [
        ("cadence", "twice", True, "plan", "2020-m", "frequency_per_year", "24"),
        ("cadence", "every_two", False, "plan", "2020-m", "frequency_per_year", "6"),
    ]
)
UNDATED = alternatives_frame(
    [
        ("undated", "tbd", True, "plan", "2024-m", "timing", "tbd"),
        ("undated", "spread", False, "plan", "2024-m", "timing", "year_round"),
    ]
)


def value(table: pd.DataFrame, headline: str, plan: str) -> pd.Series:
    return table[(table["headline"] == headline) & (table["plan"] == plan)].iloc[0]


def test_headline_values_are_the_hand_counts(plans, themes):
    values = robustness.headline_values(plans, themes, 2020, 2024)
    got = {
        (h, p): v
        for h, p, v in zip(values["headline"], values["plan"], values["value"], strict=True)
    }
    assert got[("n_events", "2020")] == 27 and got[("n_events", "2024")] == 8
    assert got[("idb_named", "2020")] == 2 and got[("idb_only_resource", "2020")] == 1
    assert got[("idb_only_cash", "2024")] == 2, "staff time beside the IDB does not count"
    assert got[("idb_only_resource", "2024")] == 0
    assert got[("idb_instrument_named", "2020")] == 2
    assert got[("idb_instrument_named", "2024")] == 0
    assert got[("oas_named", "2024")] == 1
    assert got[("s1_share_of_dated", "2020")] == pytest.approx(1 / 3)
    assert got[("undated_events", "2024")] == 4
    texts = dict(zip(values["headline"], values["text"], strict=True))
    assert texts["themes_new"] == "t3" and texts["themes_dropped"] == "t2"
    # t1: 3 → 3, t2: 1 → 0, t3: 0 → 2
    assert texts["largest_theme_rise"] == "t3" and texts["largest_theme_fall"] == "t2"


def test_the_multiverse_has_one_run_per_combination_the_primary_first(plans, themes):
    both = pd.concat([CADENCE, UNDATED], ignore_index=True)
    universe = robustness.multiverse(plans, themes, both, 2020, 2024)
    assert universe["combination"].nunique() == 4
    first = universe[universe["combination"] == 0].iloc[0]
    assert (first["cadence"], first["undated"]) == ("twice", "tbd")


def test_a_count_changed_by_one_decision_depends_on_that_decision_only(plans, themes):
    both = pd.concat([CADENCE, UNDATED], ignore_index=True)
    table = robustness.robustness(plans, themes, both, 2020, 2024)
    events = value(table, "n_events", "2020")
    assert (events["primary_value"], events["min_value"], events["max_value"]) == (27, 9, 27)
    assert not events["holds_everywhere"] and events["depends_on"] == "cadence"
    undated = value(table, "undated_events", "2024")
    assert undated["depends_on"] == "undated" and undated["min_value"] == 0


def test_a_change_holds_when_its_direction_never_flips(plans, themes):
    table = robustness.robustness(plans, themes, CADENCE, 2020, 2024)
    change = value(table, "n_events_change", "2020→2024")
    assert (change["min_value"], change["max_value"]) == (-19, -1)
    assert change["holds_everywhere"], "a fall of 19 or of 1 is a fall under every coding"
    assert value(table, "idb_named", "2024")["holds_everywhere"]


def test_a_change_whose_direction_flips_does_not_hold(plans, themes):
    flip = alternatives_frame(
        [
            ("cadence", "twice", True, "plan", "2020-m", "frequency_per_year", "24"),
            ("cadence", "once", False, "plan", "2020-m", "frequency_per_year", "1"),
        ]
    )
    table = robustness.robustness(plans, themes, flip, 2020, 2024)
    change = value(table, "n_events_change", "2020→2024")
    assert (change["min_value"], change["max_value"]) == (-19, 4)
    assert not change["holds_everywhere"] and change["depends_on"] == "cadence"


def test_a_theme_recorded_as_successor_is_not_new(plans, themes):
    succession = alternatives_frame(
        [
            ("t3_line", "new", True, "themes", "2024:3.2", "related_areas", ""),
            ("t3_line", "successor", False, "themes", "2024:3.2", "related_areas", "2020:3.2"),
        ]
    )
    table = robustness.robustness(plans, themes, succession, 2020, 2024)
    new = value(table, "themes_new", "2020→2024")
    assert new["primary_text"] == "t3" and new["other_texts"] == "[]"
    assert new["depends_on"] == "t3_line"


def test_unknown_decisions_or_alternatives_are_refused(plans, themes):
    with pytest.raises(ValueError, match="unknown decision 'nope'"):
        robustness.apply_alternatives(plans, themes, CADENCE, {"nope": "x"})
    with pytest.raises(ValueError, match="has no alternative 'weekly'"):
        robustness.apply_alternatives(plans, themes, CADENCE, {"cadence": "weekly"})


def test_statements_say_holds_or_name_the_decision_in_both_languages(plans, themes):
    table = robustness.robustness(plans, themes, CADENCE, 2020, 2024)
    labels = {"t1": "T1", "t2": "T2", "t3": "T3"}
    # decision labels come from the catalogue: use the real decision key for wording
    table["depends_on"] = table["depends_on"].replace("cadence", "semimonthly_meetings")
    english = robustness_words.robustness_statements(table, labels, "en")
    assert "- **Activities** (2020): 4 under every one of the 2 codings." in english
    assert "ranges from 9 to 27, depending on: 2020 “semimonthly” meetings" in english
    spanish = robustness_words.robustness_statements(table, labels, "es")
    assert "varía entre 9 y 27" in spanish


def test_the_ranges_chart_title_counts_the_headlines_that_hold(plans, themes):
    from gealc_analysis.charts import robustness_ranges as plots_robustness

    table = robustness.robustness(plans, themes, CADENCE, 2020, 2024)
    fig = plots_robustness.plot_headline_ranges(table, lang="en")
    counts = table[table["headline"].isin(plots_robustness.COUNT_HEADLINES)]
    held = int(counts["holds_everywhere"].sum())
    title = plots_robustness.style.figure_text(fig, plots_robustness.style.TITLE_GID)
    assert title == (f"{held} of {len(counts)} headline counts are the same under all 2 codings")
    assert held == len(counts) - 1, "only the 2020 events total moves with the cadence"


def test_the_multiverse_of_edited_data_is_recomputed_not_served_from_cache(plans, themes):
    before = robustness.multiverse(plans, themes, CADENCE, 2020, 2024)
    edited = plans.copy()
    edited.loc[edited["activity_id"] == "2020-3.1.1", "frequency_per_year"] = 3
    after = robustness.multiverse(edited, themes, CADENCE, 2020, 2024)
    events = {
        frame: f.loc[
            (f["headline"] == "n_events") & (f["plan"] == "2020") & (f["combination"] == 0), "value"
        ].iloc[0]
        for frame, f in (("before", before), ("after", after))
    }
    assert events == {"before": 27, "after": 29}, "the edited row now announces 3 events"


def test_theme_appearances_name_new_and_dropped_themes_by_activities(plans, themes):
    counted = theme_measures.count_by_theme(plans, themes)

    def appearances(baseline: int, compare: int) -> tuple[list[str], list[str]]:
        change = theme_measures.theme_change(counted, themes, baseline, compare)
        return theme_measures.theme_appearances(change, themes, baseline, compare)

    assert appearances(2020, 2024) == (["t3"], ["t2"])
    assert appearances(2024, 2020) == (["t2"], ["t3"])


def pairwise_cover(levels: np.ndarray, start: list[int]) -> list[int]:
    """``start`` and, greedily, the rows of ``levels`` (one per coding, the alternative's
    position per decision) that take every pair of alternatives of every two decisions at
    least once (a covering array of strength 2; deterministic: the first best row wins)."""
    size = levels.max(axis=0, initial=0) + 1
    pairs = list(itertools.combinations(range(levels.shape[1]), 2))
    codes = np.stack([levels[:, i] * size[j] + levels[:, j] for i, j in pairs], axis=1)
    needed = [set(np.unique(codes[:, p]).tolist()) for p in range(len(pairs))]
    chosen = list(start)

    def take(row: int) -> None:
        for p, left in enumerate(needed):
            left.discard(int(codes[row, p]))

    for row in chosen:
        take(row)
    while any(needed):
        gain = sum(np.isin(codes[:, p], sorted(left)) for p, left in enumerate(needed) if left)
        chosen.append(int(np.argmax(gain)))
        take(chosen[-1])
    return chosen


def assert_covers_every_pair(rows: np.ndarray, sizes: list[int]) -> None:
    for i, j in itertools.combinations(range(rows.shape[1]), 2):
        wanted = set(itertools.product(range(sizes[i]), range(sizes[j])))
        assert set(zip(rows[:, i].tolist(), rows[:, j].tolist(), strict=True)) >= wanted


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def test_every_coding_of_the_multiverse_is_the_headlines_recomputed_on_that_coding(bundle):
    """The multiverse computes each headline over the alternatives of only the decisions that
    edit what it reads (``robustness._PER_PLAN``); under a sample of codings of the real data
    its rows equal ``headline_values`` run from scratch on that coding's tables (plans,
    crosswalk, funding codes, lineage).

    The sample covers every alternative of every decision alone (the coding that differs
    from the primary one in that decision only), the primary and the all-last codings, every
    pair of alternatives of any two decisions taken together (``pairwise_cover``: a few more
    codings; the every-512th sample used before took 46 codings and missed 18 of the 361
    pairs), and every 4096th combination for more decisions changed at once."""
    universe = robustness.bundle_multiverse(bundle, 2020, 2024)
    combos = robustness.combinations(bundle.alternatives)
    columns = ["headline", "plan", "kind", "value", "text", "base"]
    primary = combos[0]
    alone = {
        number
        for number, combo in enumerate(combos)
        if sum(combo[name] != primary[name] for name in primary) == 1
    }
    decisions = robustness.decisions(bundle.alternatives)
    assert len(alone) == sum(len(options) - 1 for options in decisions.values())
    levels = np.array(
        [[options.index(combo[d]) for d, options in decisions.items()] for combo in combos]
    )
    start = sorted(alone | {0, len(combos) - 1} | set(range(0, len(combos), 4096)))
    sample = sorted(set(pairwise_cover(levels, start)))
    assert_covers_every_pair(levels[sample], [len(options) for options in decisions.values()])
    for number in sample:
        coded = robustness.apply_to_tables(
            robustness.bundle_tables(bundle), bundle.alternatives, combos[number]
        )
        fresh = robustness.headline_values(
            coded["plan"],
            coded["themes"],
            2020,
            2024,
            funding_codes=coded["funding_codes"],
            lineage=coded["lineage"],
            theme_kinds=coded["theme_kinds"],
        )
        served = universe[universe["combination"] == number][columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(served, fresh, check_exact=True)


def test_the_compact_table_is_the_table_of_the_long_multiverse(bundle):
    """``robustness`` (from the compact cells) equals ``robustness_table`` of every
    combination spelled out."""
    universe = robustness.bundle_multiverse(bundle, 2020, 2024)
    names = list(robustness.decisions(bundle.alternatives))
    long = robustness.robustness_table(universe, names)
    compact = robustness.bundle_robustness(bundle, 2020, 2024)
    pd.testing.assert_frame_equal(compact, long)


def test_the_resource_kinds_are_decisions_of_the_multiverse(bundle):
    """Read the 2020 IDB consultant as staff time paid by the IDB and 2020's IDB-only-cash
    count loses the four award steps (the review's 9 of 28, recomputed, not typed)."""
    table = robustness.bundle_robustness(bundle, 2020, 2024)
    only_cash = value(table, "idb_only_cash", "2020")
    assert "idb_consultant" in only_cash["depends_on"].split(";")
    consultant = bundle.plans["idb_instrument"].astype(str) == "consultant"
    in_2020 = bundle.plans["plan_year"] == 2020
    assert only_cash["min_value"] == only_cash["primary_value"] - (consultant & in_2020).sum()
    fair = value(table, "idb_only_cash_of_cash", "2024")
    assert "oas_support" in fair["depends_on"].split(";")


def test_events_and_items_are_counted_apart(bundle):
    """Events are event-type rows only; documents, website items, award steps and governance
    items are their own headlines; together they are every row's events as printed."""
    values = robustness.bundle_headline_values(bundle, 2020, 2024).set_index(["headline", "plan"])
    for year in (2020, 2024):
        plan = str(year)
        rows = bundle.plans[bundle.plans["plan_year"] == year]
        items = sum(
            values.at[(key, plan), "value"]
            for key in ("n_documents", "n_web_items", "n_award_steps", "n_governance_items")
        )
        other = rows["activity_type"].astype(str) == "other"
        assert values.at[("n_events", plan), "value"] + items == (
            rows.loc[~other, "frequency_per_year"].sum()
        )


def test_the_primary_headlines_are_the_figures_the_sections_show(bundle):
    plans, themes = bundle.plans, bundle.themes
    values = robustness.bundle_headline_values(bundle, 2020, 2024).set_index(["headline", "plan"])
    cash = funding.cash_dependence(plans, bundle.funding_codes).set_index(["plan_year", "source"])
    evenness = diversity.agenda_evenness(plans, themes, bundle.theme_kinds).set_index("plan_year")
    overview = counts.plan_overview(plans).set_index("plan_year")
    for year in (2020, 2024):
        plan = str(year)
        assert values.at[("idb_only_cash", plan), "value"] == cash.at[(year, "idb"), "only_cash"]
        assert values.at[("oas_named", plan), "value"] == cash.at[(year, "oas"), "named"]
        assert values.at[("n_events", plan), "value"] == overview.at[year, "n_events"]
        assert (
            values.at[("evenness_policy_themes", plan), "value"]
            == (evenness.at[year, "evenness_policy"])
        )
    shifts = counts.compare_years(theme_measures.count_by_theme(plans, themes), 2020, 2024)
    rise = shifts[shifts["change"] == shifts["change"].max()]["theme"].tolist()
    assert values.at[("largest_theme_rise", "2020→2024"), "text"] == ";".join(rise)
