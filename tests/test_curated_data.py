"""The curated rows agree with the raw text: nothing dropped, nothing invented, nothing reworded."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from gealc_analysis.core import paths
from gealc_analysis.curation import coding_rules

# An activity number as printed: "3.2.3)" or "3.9ii.4)", not the "(3.6.4)" a footnote cites.
ACTIVITY_NUMBER = re.compile(r"(?<![\d.(])(3\.\d+(?:i{1,3})?\.\d+)\)")
VERBATIM_COLUMNS = (
    "timing_original",
    "venue_original",
    "resources_original",
    "product",
    "participants",
)
# The printed label before each verbatim field, in either plan's layout: "Venue: ",
# "*Venue*: ", "*Venue:* ", "Lugar: ". The value must follow its own label.
FIELD_LABELS = {
    column: r"\*?(?:" + "|".join(words) + r")(?::\*|\*:|:)\s*"
    for column, words in {
        "timing_original": ("Fecha",),
        "venue_original": ("Venue", "Lugar"),
        "resources_original": ("Resources", "Recursos"),
        "product": ("Product",),
        "participants": ("Participants",),
    }.items()
}


def raw_sources() -> dict[int, Path]:
    """Each plan's raw text, as the data package records it (one source of truth)."""
    descriptor = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return {
        int(resource["name"].removeprefix("plan_")): paths.DATA_DIR / resource["sources"][0]["path"]
        for resource in descriptor["resources"]
        if resource["name"].startswith("plan_")
    }


SOURCES = raw_sources()
YEARS = sorted(SOURCES)


def raw_text(year: int) -> str:
    return SOURCES[year].read_text(encoding="utf-8")


def activity_blocks(year: int) -> list[tuple[str, str]]:
    """(number, text up to the next activity number) for every activity printed."""
    text = raw_text(year)
    matches = list(ACTIVITY_NUMBER.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)]
    return [(m.group(1), text[m.start() : end]) for m, end in zip(matches, ends, strict=True)]


def rows_with_blocks(plans: pd.DataFrame, year: int) -> list[tuple[pd.Series, str]]:
    """Pair each curated row with its printed block, in printed order (duplicates included)."""
    plan = plans[plans["plan_year"] == year].reset_index(drop=True)
    blocks = activity_blocks(year)
    assert list(plan["source_ref"]) == [number for number, _ in blocks], (
        f"rows of plan_{year}.csv must follow the printed order of activity numbers"
    )
    return [(row, block) for (_, row), (_, block) in zip(plan.iterrows(), blocks, strict=True)]


def test_every_plan_file_has_its_raw_source(real_plans: pd.DataFrame) -> None:
    assert YEARS == sorted(real_plans["plan_year"].unique())


@pytest.mark.parametrize("year", YEARS)
def test_every_printed_activity_number_has_exactly_one_row(
    real_plans: pd.DataFrame,
    year: int,
) -> None:
    printed = Counter(number for number, _ in activity_blocks(year))
    curated = Counter(real_plans.loc[real_plans["plan_year"] == year, "source_ref"])
    assert curated == printed, (
        f"plan_{year}.csv: missing {sorted((printed - curated).elements())}, "
        f"invented {sorted((curated - printed).elements())}"
    )


@pytest.mark.parametrize("year", YEARS)
def test_title_is_printed_right_after_its_number(real_plans: pd.DataFrame, year: int) -> None:
    for row, block in rows_with_blocks(real_plans, year):
        assert block.startswith(f"{row['source_ref']}) {row['title_original']}"), (
            f"{row['activity_id']}: title_original {row['title_original']!r} is not the text "
            f"printed after {row['source_ref']}) in {SOURCES[year].name}"
        )


@pytest.mark.parametrize("year", YEARS)
def test_verbatim_fields_are_found_in_their_own_activity_block(
    real_plans: pd.DataFrame,
    year: int,
) -> None:
    for row, block in rows_with_blocks(real_plans, year):
        for column in VERBATIM_COLUMNS:
            value = row[column]
            if column in ("timing_original",) and year == 2020:
                continue  # 2020 prints timing as an area sub-heading, checked below
            assert value == "" or re.search(FIELD_LABELS[column] + re.escape(value), block), (
                f"{row['activity_id']}: {column} {value!r} is not printed after its label in "
                f"its block of {SOURCES[year].name}"
            )


def test_2020_timing_is_the_heading_above_the_activity(real_plans: pd.DataFrame) -> None:
    text = raw_text(2020)
    heading = re.compile(
        r"^(1st\. Semester Activities|2nd\. Semester Activities|"
        r"Annual Activities)$",
        re.MULTILINE,
    )
    for row in real_plans[real_plans["plan_year"] == 2020].itertuples():
        position = text.index(f"{row.source_ref}) {row.title_original}")
        above = [m.group(1) for m in heading.finditer(text, 0, position)]
        assert above and above[-1] == row.timing_original, row.activity_id


def test_2024_fecha_lugar_recursos_labels_precede_the_verbatim_text(
    real_plans: pd.DataFrame,
) -> None:
    for row, block in rows_with_blocks(real_plans, 2024):
        assert f"Fecha: {row['timing_original']}" in block, row["activity_id"]
        assert f"Lugar: {row['venue_original']}" in block, row["activity_id"]
        assert f"Recursos: {row['resources_original']}" in block, row["activity_id"]


def test_number_printed_twice_keeps_both_rows_with_distinct_ids(real_plans: pd.DataFrame) -> None:
    twice = real_plans[(real_plans["plan_year"] == 2020) & (real_plans["source_ref"] == "3.2.3")]
    assert list(twice["activity_id"]) == ["2020-3.2.3", "2020-3.2.3-b"]
    for notes in twice["notes"]:
        assert "3.2.3" in notes and "twice" in notes, notes


def test_footnote_citing_the_wrong_activity_is_explained_in_notes(real_plans: pd.DataFrame) -> None:
    meeting = real_plans.set_index("activity_id").loc["2024-3.6.3"]
    assert "(3.6.4)" in meeting["notes"] and meeting["activity_type"] == "working_group_meeting"


CODING_RULES = {
    "timing": lambda r: coding_rules.code_timing(r["timing_original"]),
    "frequency_per_year": lambda r: coding_rules.code_frequency(
        r["title_original"], r["timing_original"]
    ),
    "venue_mode": lambda r: coding_rules.code_venue_mode(r["venue_original"], r["title_original"]),
    "venue_country": lambda r: coding_rules.code_venue_country(r["venue_original"]),
    "funding_sources": lambda r: coding_rules.code_funding(r["resources_original"]),
    "idb_instrument": lambda r: coding_rules.code_idb_instrument(r["resources_original"]),
}


@pytest.mark.parametrize("column", sorted(CODING_RULES))
def test_coded_fields_follow_the_codebook_rules_from_the_printed_text(
    real_plans: pd.DataFrame,
    column: str,
) -> None:
    rule = CODING_RULES[column]
    mismatches = []
    for _, row in real_plans.iterrows():
        curated = "" if pd.isna(row[column]) else row[column]
        derived = rule(row)
        if str(derived) != str(curated):
            mismatches.append(f"{row['activity_id']}: curated {curated!r}, rule gives {derived!r}")
    assert not mismatches, "\n".join(mismatches)


def test_the_plans_own_language_title_is_verbatim_unless_notes_explain_a_correction(
    real_plans: pd.DataFrame,
) -> None:
    own_language = {"en": "title_en", "es": "title_es"}
    descriptor = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    languages = {
        int(r["name"].removeprefix("plan_")): r["languages"][0]
        for r in descriptor["resources"]
        if r["name"].startswith("plan_")
    }
    for row in real_plans.itertuples():
        column = own_language[languages[row.plan_year]]
        if getattr(row, column) != row.title_original:
            assert column in row.notes, (
                f"{row.activity_id}: {column} differs from title_original; say why in notes"
            )


def test_review_corrections_are_applied_and_explained_in_notes(real_plans: pd.DataFrame) -> None:
    """Issue 10 item 7: each applied correction is in the data and its row says why."""
    rows = real_plans.set_index("activity_id")
    for ref in ("3.1.8", "3.3.4", "3.5.3", "3.6.4", "3.7.3"):
        row = rows.loc[f"2024-{ref}"]
        assert "focal point" not in row["title_en"] and "work area" in row["title_en"], ref
        assert "Review correction" in row["notes"], ref
    assert rows.loc["2024-3.9ii.1", "title_en"].startswith("Action Plan of the VIII Ministerial")
    for ref in ("3.3.1", "3.3.2", "3.3.3", "3.3.4"):
        assert "Premios excelGOB 2020" in rows.loc[f"2020-{ref}", "title_es"], ref
    titles_2024 = " ".join(rows.loc[rows["plan_year"] == 2024, "title_en"])
    assert not re.search(r"isation|organis", titles_2024), "2024 English uses US spelling"
