"""Activity lineage: every activity of consecutive plans covered, ids that exist, relations
consistent with the empty side; an unlinked new plan is a warning, not an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from frames import make_plans, make_themes

from gealc_analysis.core import paths
from gealc_analysis.data import PlanDataError, load_plans
from gealc_analysis.data import lineage as data_lineage
from gealc_analysis.measures import lineage
from gealc_analysis.words import lineage as lineage_words
from gealc_analysis.words import robustness as robustness_words

HEADER = "from_year,from_activity_id,to_year,to_activity_id,relation,note,note_es\n"


@pytest.fixture
def plans() -> pd.DataFrame:
    """2020: a, b, c (theme t1, t1, t2); 2024: x, y (t1, t3)."""
    return make_plans(
        [
            {"plan_year": 2020, "activity_id": "2020-3.1.1", "source_ref": "3.1.1"},
            {"plan_year": 2020, "activity_id": "2020-3.1.2", "source_ref": "3.1.2"},
            {
                "plan_year": 2020,
                "activity_id": "2020-3.2.1",
                "source_ref": "3.2.1",
                "theme": "t2",
                "area_code": "3.2",
            },
            {"plan_year": 2024, "activity_id": "2024-3.1.1", "source_ref": "3.1.1"},
            {
                "plan_year": 2024,
                "activity_id": "2024-3.2.1",
                "source_ref": "3.2.1",
                "theme": "t3",
                "area_code": "3.2",
            },
        ]
    )


GOOD = (
    "2020,2020-3.1.1,2024,2024-3.1.1,merged,a and b became one\n"
    "2020,2020-3.1.2,2024,2024-3.1.1,merged,a and b became one\n"
    "2020,2020-3.2.1,2024,,dropped,gone\n"
    "2020,,2024,2024-3.2.1,new,new theme\n"
)


def write(folder: Path, body: str) -> Path:
    """lineage.csv with these rows, each given a Spanish note ("nota")."""
    rows = "".join(f"{line},nota\n" for line in body.splitlines())
    (folder / data_lineage.LINEAGE_FILE).write_text(HEADER + rows, encoding="utf-8")
    return folder


def problems_of(folder: Path, plans: pd.DataFrame) -> list[str]:
    with pytest.raises(PlanDataError) as error:
        data_lineage.load_lineage(plans, folder)
    return [str(problem) for problem in error.value.problems]


def test_counts_per_relation_count_each_side_once(tmp_path, plans):
    links = data_lineage.load_lineage(plans, write(tmp_path, GOOD))
    counts = lineage.lineage_counts(links, plans).set_index("relation")
    assert counts.loc["merged", ["n_earlier", "n_later"]].tolist() == [2, 1]
    assert counts.loc["dropped", "n_earlier"] == 1 and counts.loc["new", "n_later"] == 1
    assert counts.loc["continued", "n_earlier"] == 0, "every relation is a row"


def test_carry_over_by_theme_splits_what_became_of_each_theme(tmp_path, plans):
    themes = make_themes(
        [
            {"plan_year": 2020, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2020, "area_code": "3.2", "theme": "t2"},
            {"plan_year": 2024, "area_code": "3.1", "theme": "t1"},
            {"plan_year": 2024, "area_code": "3.2", "theme": "t3"},
        ]
    )
    links = data_lineage.load_lineage(plans, write(tmp_path, GOOD))
    table = lineage.carry_over_by_theme(links, plans, themes).set_index("theme")
    assert table.loc["t1", ["n_earlier", "merged", "n_later", "new"]].tolist() == [2, 2, 1, 0]
    assert table.loc["t2", ["n_earlier", "dropped", "n_later"]].tolist() == [1, 1, 0]
    assert table.loc["t3", ["n_earlier", "n_later", "new"]].tolist() == [0, 1, 1]


def test_theme_flows_link_themes_at_activity_level(tmp_path, plans):
    links = data_lineage.load_lineage(plans, write(tmp_path, GOOD))
    flows = lineage.theme_flows(links, plans)
    assert set(zip(flows["from_theme"], flows["to_theme"], flows["n_links"], strict=True)) == {
        ("t1", "t1", 2),
        ("t2", "", 1),
        ("", "t3", 1),
    }


def test_an_activity_without_a_row_is_reported(tmp_path, plans):
    found = problems_of(
        write(tmp_path, GOOD.replace("2020,2020-3.2.1,2024,,dropped,gone\n", "")), plans
    )
    assert any(
        "from_activity_id: expected a row for every activity of plan_2020.csv, "
        "found 'none for 2020-3.2.1'" in p
        for p in found
    ), found


def test_an_id_that_is_not_in_the_plan_is_reported_at_its_line(tmp_path, plans):
    found = problems_of(write(tmp_path, GOOD + "2020,2020-3.9.9,2024,,dropped,x\n"), plans)
    assert any(
        ":6: from_activity_id: expected an activity_id of plan_2020.csv, found '2020-3.9.9'" in p
        for p in found
    ), found


def test_the_empty_side_must_match_the_relation(tmp_path, plans):
    body = GOOD.replace("2020,2020-3.2.1,2024,,dropped", "2020,2020-3.2.1,2024,2024-3.2.1,dropped")
    found = problems_of(write(tmp_path, body), plans)
    assert any(
        ":4: to_activity_id: expected an empty cell for relation dropped" in p for p in found
    ), found


def test_merged_needs_two_or_more_earlier_activities(tmp_path, plans):
    body = (
        "2020,2020-3.1.1,2024,2024-3.1.1,merged,x\n"
        "2020,2020-3.1.2,2024,,dropped,x\n2020,2020-3.2.1,2024,,dropped,x\n"
        "2020,,2024,2024-3.2.1,new,x\n"
    )
    found = problems_of(write(tmp_path, body), plans)
    assert any(
        "expected merged to link 2024-3.1.1 with two or more activities" in p for p in found
    ), found


def test_a_relation_outside_the_schema_is_an_error(tmp_path, plans):
    found = problems_of(write(tmp_path, GOOD.replace("dropped,gone", "vanished,gone")), plans)
    assert any(
        ":4: relation: expected one of continued, modified, split, merged, dropped, new, "
        "found 'vanished'" in p
        for p in found
    ), found


def test_a_new_plan_without_lineage_is_a_warning_not_an_error(tmp_path, plans):
    third = make_plans([{"plan_year": 2028, "activity_id": "2028-3.1.1", "source_ref": "3.1.1"}])
    all_plans = pd.concat([plans, third], ignore_index=True)
    with pytest.warns(data_lineage.UnlinkedPlanWarning, match="2024 and 2028 are not linked yet"):
        links = data_lineage.load_lineage(all_plans, write(tmp_path, GOOD))
    assert data_lineage.unlinked_pairs(links, all_plans) == [(2024, 2028)]
    assert lineage.lineage_counts(links, all_plans)["to_year"].unique().tolist() == [2024]


def test_a_data_folder_with_a_third_plan_still_loads(tmp_path):
    """Adding a year's CSV still just works: the real lineage plus an unlinked 2028 plan."""
    for name in (
        "themes.csv",
        "funding_codes.csv",
        "plan_2020.csv",
        "plan_2024.csv",
        "lineage.csv",
    ):
        shutil.copy(paths.CURATED_DIR / name, tmp_path / name)
    text = (paths.CURATED_DIR / "plan_2024.csv").read_text(encoding="utf-8")
    (tmp_path / "plan_2028.csv").write_text(text.replace("2024", "2028"), encoding="utf-8")
    themes_text = (paths.CURATED_DIR / "themes.csv").read_text(encoding="utf-8")
    extra = [
        line.replace("2024,", "2028,", 1)
        for line in themes_text.splitlines()
        if line.startswith("2024,")
    ]
    (tmp_path / "themes.csv").write_text(themes_text + "\n".join(extra) + "\n", encoding="utf-8")
    plans = load_plans(tmp_path)
    with pytest.warns(data_lineage.UnlinkedPlanWarning):
        links = data_lineage.load_lineage(plans, tmp_path)
    assert data_lineage.unlinked_pairs(links, plans) == [(2024, 2028)]


# --------------------------------------------------------------------------- the real file


def test_the_curated_lineage_covers_both_plans_with_the_counts_of_the_report(real_plans):
    links = data_lineage.load_lineage(real_plans)
    counts = lineage.lineage_counts(links, real_plans).set_index("relation")
    assert counts["n_earlier"].to_dict() == {
        "continued": 6,
        "modified": 7,
        "split": 0,
        "merged": 4,
        "dropped": 11,
        "new": 0,
    }
    assert counts["n_later"].to_dict() == {
        "continued": 6,
        "modified": 7,
        "split": 0,
        "merged": 2,
        "dropped": 0,
        "new": 26,
    }


def test_the_cases_issue_18_listed_are_decided_under_the_one_rule(real_plans):
    """Same subject in another format → merged/modified; other subject → dropped + new; same
    subject, new scope → modified; a merge takes up only the products its successor names."""
    links = data_lineage.load_lineage(real_plans)
    link = {(row.from_activity_id, row.to_activity_id): row.relation for row in links.itertuples()}
    assert link[("2020-3.1.1", "2024-3.1.6")] == link[("2020-3.1.4", "2024-3.1.6")] == "merged"
    assert link[("", "2024-3.1.2")] == "new"
    assert link[("2020-3.6.2", "")] == "dropped" and link[("", "2024-3.6.1")] == "new"
    assert link[("2020-3.1.5", "2024-3.1.4")] == "modified"
    assert link[("2020-3.4.1", "")] == "dropped"


def test_the_awards_call_takes_up_requirements_and_invitation_only(real_plans):
    links = data_lineage.load_lineage(real_plans)
    merged = links[links["to_activity_id"] == "2024-3.9ii.3"]
    assert sorted(merged["from_activity_id"]) == ["2020-3.3.1", "2020-3.3.2"]
    assert set(merged["relation"]) == {"merged"}
    dropped = links[links["relation"] == "dropped"]["from_activity_id"]
    assert {"2020-3.3.3", "2020-3.3.4"} <= set(dropped)


def test_lineage_lists_carry_titles_in_the_page_language(real_plans):
    links = data_lineage.load_lineage(real_plans)
    listed = lineage_words.lineage_list(links, real_plans, "es")
    row = listed[listed["from_activity_id"] == "2020-3.8.1"].iloc[0]
    assert row["to_title"] == "Actualización de contenidos en web y redes sociales de Red Gealc."
    assert listed["relation"].iloc[0] == "continued" and listed["relation"].iloc[-1] == "new"


def test_every_link_has_a_spanish_note_of_its_own(real_plans):
    """Each note has a Spanish twin written for the Spanish pages: never the English text, the
    plan's Spanish words ("quincenal", with the translation's word only in parentheses)."""
    links = data_lineage.load_lineage(real_plans)
    assert (links["note_es"].str.strip() != "").all()
    assert (links["note_es"] != links["note"]).all()
    semimonthly = links["note_es"].str.contains("Semimonthly")
    assert semimonthly.any()
    assert (
        links.loc[semimonthly, "note_es"]
        .str.contains(r"quincenales \(Semimonthly en la traducción\)")
        .all()
    )


def test_the_spanish_list_shows_the_spanish_notes(real_plans):
    links = data_lineage.load_lineage(real_plans)
    spanish = lineage_words.lineage_list(links, real_plans, "es")
    english = lineage_words.lineage_list(links, real_plans, "en")
    row = spanish[spanish["from_activity_id"] == "2020-3.6.2"].iloc[0]
    assert row["note"].startswith("Otro tema: ninguna actividad de 2024")
    assert (
        english[english["from_activity_id"] == "2020-3.6.2"]
        .iloc[0]["note"]
        .startswith("Other subject:")
    )


def test_real_themes_feed_the_flow_chart_without_error(real_plans, real_themes):
    from gealc_analysis.charts import lineage_flows as plots_lineage
    from gealc_analysis.data.alternatives import empty_alternatives

    links = data_lineage.load_lineage(real_plans)
    names = robustness_words.theme_labels(real_themes, empty_alternatives(), "es")
    fig = plots_lineage.plot_theme_flow(
        lineage.theme_flows(links, real_plans),
        lineage.lineage_counts(links, real_plans),
        names,
        lineage.theme_totals(real_plans),
        from_year=2020,
        to_year=2024,
        lang="es",
    )
    title = plots_lineage.style.figure_text(fig, plots_lineage.style.TITLE_GID)
    assert title.startswith("17 de 28 actividades de 2020 continúan")


def test_a_single_plan_says_there_is_nothing_to_link(tmp_path, plans):
    only = plans[plans["plan_year"] == 2024]
    links = data_lineage.load_lineage(only, write(tmp_path, GOOD))
    assert links.empty and lineage.pair_ending_at(only, 2024) == (2024, 2024)
    assert lineage_words.carry_over_summary(links, only, "en") == (
        "Only one plan (2024) is loaded: there is nothing to link."
    )


def test_a_section_can_say_unlinked_in_words_instead_of_a_warning(tmp_path, plans):
    third = make_plans([{"plan_year": 2028, "activity_id": "2028-3.1.1", "source_ref": "3.1.1"}])
    all_plans = pd.concat([plans, third], ignore_index=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        links = data_lineage.load_lineage(all_plans, write(tmp_path, GOOD), warn=False)
    assert lineage_words.carry_over_summary(links, all_plans, "en").endswith(
        "Plans 2024 and 2028 are not linked yet: their activities have no lineage in `lineage.csv`."
    )


# --------------------------------------------------------------------------- crosswalk agreement


def _relink(folder: Path, changes: dict[str, str], drop_new: tuple[str, ...] = ()) -> None:
    """Rewrite lineage.csv rows: each earlier activity in ``changes`` gets the link
    ``"<to_activity_id>,<relation>"``; the ``new`` rows of ``drop_new`` go (they now have a
    predecessor)."""
    path = folder / "lineage.csv"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        cells = line.split(",", 5)
        if cells[1] in changes:
            cells[3], cells[4] = changes[cells[1]].split(",")
            line = ",".join(cells)
        elif cells[4] == "new" and cells[3] in drop_new:
            continue
        out.append(line)
    path.write_text("".join(out), encoding="utf-8")


def _validate_errors(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    from gealc_analysis import cli

    assert cli.main(["validate", str(folder)]) == 2
    return capsys.readouterr().err.splitlines()[1:]


def test_the_curated_crosswalk_and_lineage_agree(real_plans, real_themes):
    links = data_lineage.load_lineage(real_plans, themes=real_themes)
    assert not links.empty


def test_validate_rejects_an_area_continued_whose_activities_were_all_dropped(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dropped = {a: "," + "dropped" for a in ("2020-3.2.3", "2020-3.2.3-b")}
    _relink(curated_copy, dropped)
    path = curated_copy / "lineage.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2020,,2024,2024-3.2.1,new,x,x\n2020,,2024,2024-3.2.3,new,x,x\n")
    errors = _validate_errors(curated_copy, capsys)
    themes = curated_copy / "themes.csv"
    expected = (
        "relation: expected an activity of {a} carried (continued, modified, merged or split) "
        "into {b}, as 'continued' with {o} says (else code the area retired or new, or link the "
        "activity in lineage.csv), found 'none in lineage.csv: {f}'"
    )
    assert errors == [
        f"{themes}:3: "
        + expected.format(
            a="2020:3.2",
            b="2024:3.2",
            o="2024:3.2",
            f="2020-3.2.1 dropped, 2020-3.2.2 dropped, 2020-3.2.3 dropped, 2020-3.2.3-b dropped",
        ),
        f"{themes}:12: "
        + expected.format(
            a="2020:3.2",
            b="2024:3.2",
            o="2020:3.2",
            f="2020-3.2.1 dropped, 2020-3.2.2 dropped, 2020-3.2.3 dropped, 2020-3.2.3-b dropped",
        ),
    ]


def test_validate_rejects_measurement_merged_while_its_one_activity_is_dropped(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The crosswalk coding issue 18 found: 2020 3.4 merged into 2024 3.7, 2020-3.4.1 dropped."""
    themes = curated_copy / "themes.csv"
    text = themes.read_text(encoding="utf-8").splitlines(keepends=True)
    text[4] = text[4].replace(",retired,,", ",merged,2024:3.7,")
    themes.write_text("".join(text), encoding="utf-8")
    errors = _validate_errors(curated_copy, capsys)
    assert (
        f"{themes}:5: relation: expected an activity of 2020:3.4 carried (continued, modified, "
        "merged or split) into 2024:3.7, as 'merged' with 2024:3.7 says (else code the area "
        "retired or new, or link the activity in lineage.csv), found 'none in lineage.csv: "
        "2020-3.4.1 dropped'"
    ) in errors


def test_validate_rejects_a_retired_area_whose_activity_carries_over(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _relink(curated_copy, {"2020-3.4.1": "2024-3.7.1,modified"}, drop_new=("2024-3.7.1",))
    line = next(
        n
        for n, text in enumerate(
            (curated_copy / "lineage.csv").read_text(encoding="utf-8").splitlines(), start=1
        )
        if text.startswith("2020,2020-3.4.1,")
    )
    errors = _validate_errors(curated_copy, capsys)
    assert errors == [
        f"{curated_copy / 'themes.csv'}:5: relation: expected no activity of 2020:3.4 carried "
        "into the 2024 plan, as 'retired' says (else relate the area to where its activities "
        f"go), found '2020-3.4.1 → 2024-3.7.1 modified (lineage.csv line {line})'"
    ]


def test_validate_rejects_a_new_area_with_a_predecessor(
    curated_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _relink(curated_copy, {"2020-3.3.3": "2024-3.3.1,modified"}, drop_new=("2024-3.3.1",))
    errors = _validate_errors(curated_copy, capsys)
    assert len(errors) == 1
    assert errors[0].startswith(
        f"{curated_copy / 'themes.csv'}:13: relation: expected no activity of 2024:3.3 carried "
        "from the 2020 plan, as 'new' says"
    )
    assert "found '2020-3.3.3 → 2024-3.3.1 modified (lineage.csv line " in errors[0]
