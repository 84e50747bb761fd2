"""`gealc-report draft`: a plan's text → a draft CSV a curator reviews (issue 13).

The seed plans are the two raw texts in data/raw; their curated CSVs are the truth the
drafts are scored against (`draft.score_draft`, shared with benchmarks/extractor.py).
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from gealc_analysis import cli
from gealc_analysis.core import paths
from gealc_analysis.curation import coding_rules, draft
from gealc_analysis.data import load_plans, vocabulary, write_plan

SEEDS = draft.seed_plans()


def seed_text(year: int) -> str:
    return SEEDS[year].read_text(encoding="utf-8")


@pytest.fixture
def draft_text(real_themes: pd.DataFrame) -> Callable[..., draft.Draft]:
    """Draft a plan's text against the curated themes crosswalk."""

    def run(text: str, year: int, lang: str | None = None) -> draft.Draft:
        return draft.draft_plan(text, year, lang, real_themes)

    return run


def curated(year: int) -> pd.DataFrame:
    return load_plans(years=[year])


def row(result: draft.Draft, activity_id: str) -> dict[str, str]:
    rows = result.frame[result.frame["activity_id"] == activity_id].to_dict("records")
    assert len(rows) == 1, (
        f"expected one row {activity_id}, drafted {list(result.frame['activity_id'])}"
    )
    return rows[0]


def flags(record: dict[str, str]) -> set[str]:
    return set(draft.flagged_fields(record[draft.REVIEW_COLUMN]))


# --------------------------------------------------------------------------- the seed plans


def test_both_seed_plans_are_found_with_their_language() -> None:
    assert sorted(SEEDS) == [2020, 2024]
    assert {year: draft.language_of(path) for year, path in SEEDS.items()} == {
        2020: "en",
        2024: "es",
    }


@pytest.mark.parametrize("year", sorted(SEEDS))
def test_seed_plan_draft_meets_the_issue_targets(draft_text, year: int) -> None:
    result = draft_text(seed_text(year), year)
    score = draft.score_draft(result.frame, curated(year))
    assert not score.target_failures(), "\n".join(score.lines(str(year)))
    assert not result.warnings, [str(w) for w in result.warnings]


@pytest.mark.parametrize("year", sorted(SEEDS))
def test_seed_plan_draft_keeps_the_printed_texts_the_curators_kept(draft_text, year: int) -> None:
    """Verbatim columns equal the curated ones: the extractor reads what people read."""
    score = draft.score_draft(
        draft_text(seed_text(year), year).frame, curated(year), fields=draft.PRINTED_FIELDS
    )
    assert not score.disagreements, "\n".join(score.lines(str(year)))


def test_the_language_is_guessed_from_the_field_labels() -> None:
    assert draft.guess_language(seed_text(2020)) == "en"
    assert draft.guess_language(seed_text(2024)) == "es"
    assert draft.guess_language("no labels here") is None


# --------------------------------------------------------------------------- perturbation

FIELD_LINE = re.compile(
    r"^\s*\*?(Product|Participants|Venue|Resources|Lugar|Fecha|Recursos)"
    r"\*?:"
)


def reorder_field_lines(text: str) -> str:
    """Reverse the order of each run of field lines (blank lines between them allowed)."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if not FIELD_LINE.match(lines[index]):
            index += 1
            continue
        group = [index]
        probe = index + 1
        while probe < len(lines) and (not lines[probe].strip() or FIELD_LINE.match(lines[probe])):
            if lines[probe].strip():
                group.append(probe)
            probe += 1
        for position, content in zip(group, [lines[i] for i in reversed(group)], strict=True):
            lines[position] = content
        index = probe
    return "\n".join(lines)


def swap_inline_venue_and_resources(text: str) -> str:
    """On 2020 run-together lines, print Resources before Venue."""
    return re.sub(
        r"(\*Venue\*: [^*\n]*?)\s*(\*Resources\*: [^\n]*)$", r"\2 \1", text, flags=re.MULTILINE
    )


def change_heading_levels(text: str) -> str:
    """Markdown headings one level deeper; 2020's plain area and semester lines become headings."""
    text = re.sub(r"^(#{1,5}) ", r"\1# ", text, flags=re.MULTILINE)
    text = re.sub(r"^(3\.\d+\) )", r"## \1", text, flags=re.MULTILINE)
    return re.sub(
        r"^((1st\. |2nd\. )?(Semester|Annual) Activities)", r"### \1", text, flags=re.MULTILINE
    )


def perturb(text: str) -> str:
    """Fields reordered, extra blank lines, headings at other levels, Windows line endings."""
    steps = {
        "fields reordered": lambda t: swap_inline_venue_and_resources(reorder_field_lines(t)),
        "heading levels": change_heading_levels,
        "extra blank lines": lambda t: t.replace("\n", "\n\n"),
        "Windows line endings": lambda t: t.replace("\n", "\r\n"),
    }
    for name, step in steps.items():
        changed = step(text)
        assert changed != text, f"perturbation '{name}' changed nothing"
        text = changed
    return text


@pytest.mark.parametrize("year", sorted(SEEDS))
def test_perturbed_plan_drafts_exactly_like_the_original(draft_text, year: int) -> None:
    original = draft_text(seed_text(year), year)
    perturbed = draft_text(perturb(seed_text(year)), year)
    score = draft.score_draft(perturbed.frame, curated(year))
    assert not score.target_failures(), "\n".join(score.lines(f"{year} perturbed"))
    pd.testing.assert_frame_equal(without_places(perturbed.frame), without_places(original.frame))


def without_places(frame: pd.DataFrame) -> pd.DataFrame:
    """The draft with its review column's locations left out (blank lines move them)."""
    return frame.assign(
        **{draft.REVIEW_COLUMN: frame[draft.REVIEW_COLUMN].map(draft.flagged_fields).map(";".join)}
    )


def test_perturbation_really_reorders_fields() -> None:
    before = "3.1.1) Taller\n\nLugar: Virtual.\n\nFecha: Anual.\nRecursos: BID.\n"
    assert reorder_field_lines(before) == (
        "3.1.1) Taller\n\nRecursos: BID.\n\nFecha: Anual.\nLugar: Virtual.\n"
    )
    assert swap_inline_venue_and_resources("3.1.3) X.*Venue*: Virtual.*Resources*: IDB.") == (
        "3.1.3) X.*Resources*: IDB. *Venue*: Virtual."
    )


# --------------------------------------------------------------------------- parsing pieces


def test_clean_line_drops_markdown_layout_and_keeps_the_words() -> None:
    assert draft.clean_line("### **3.1) Servicios transfronterizos**  ") == (
        "3.1) Servicios transfronterizos"
    )
    assert draft.clean_line("#### 3.2.1) GobCamp regional") == "3.2.1) GobCamp regional"
    assert draft.clean_line("Lugar: Virtual  ") == "Lugar: Virtual"
    assert draft.clean_line("- 3.1.1\\) Taller") == "3.1.1) Taller"


@pytest.mark.parametrize(
    ("text", "title", "fields"),
    [
        (
            "Three horizontal cooperation exchanges.*Product*: Report.*Venue*: To be defined."
            "*Resources*: IDB's RPG funds.",
            "Three horizontal cooperation exchanges.",
            [
                ("product", "Report."),
                ("venue_original", "To be defined."),
                ("resources_original", "IDB's RPG funds."),
            ],
        ),
        (
            "Definition government innovation indicators*Product:* List of indicators.",
            "Definition government innovation indicators",
            [("product", "List of indicators.")],
        ),
        (
            "Creation of methodologies Product: Research Venue: Virtual exchanges.",
            "Creation of methodologies",
            [("product", "Research"), ("venue_original", "Virtual exchanges.")],
        ),
        (
            "**Recursos:** Tiempo del grupo de trabajo.",
            "",
            [("resources_original", "Tiempo del grupo de trabajo.")],
        ),
        (
            "Participación en 2 reuniones regionales.",
            "Participación en 2 reuniones regionales.",
            [],
        ),
    ],
)
def test_split_fields_reads_labels_in_any_printed_form(
    text: str, title: str, fields: list[tuple[str, str]]
) -> None:
    lead, found = draft.split_fields(text)
    assert lead == title
    assert [(f.column, f.value) for f in found] == fields


def test_a_label_printed_twice_keeps_the_second_in_the_value() -> None:
    _, found = draft.split_fields("*Venue*: Venue: Virtual. *Resources*: IDB.")
    assert [(f.column, f.value, f.label_repeated) for f in found] == [
        ("venue_original", "Venue: Virtual.", True),
        ("resources_original", "IDB.", False),
    ]


ENGLISH_PLAN = "\n".join(
    [
        "3) Areas of work",
        "",
        "3.2) Open Data",
        "",
        "Objective: To intensify efforts.",
        "",
        "Annual Activities",
        "",
        "3.2.1) Guide on privacy Product: Document. Venue: Virtual exchanges. "
        "Resources: Work group "
        "time. 3.2.2) Guide on national policies. Product: Document. Venue: Virtual exchanges. "
        "Resources: Work group time.",
        "",
        "3.2.3) GobCamp. *Product*: GobCamp. *Venue*: Costa Rica. *Resources*: Work group time.",
        "",
        "3.2.3) Semimonthly meetings of the workgroup.*Product*: Report.*Venue*: Virtual exchanges."
        "*Resources*: Work group time.",
        "",
        "1st. Semester Activities",
        "",
        "3.2.5) Meeting Action Plan.",
        "",
        "Product: Report.",
        "Venue: Hybrid.",
        "Resources: Work group time and CAF funds.",
        "",
        "3.5) Innovation",
        "",
        "3.5.1) On-site workshop. *Venue*: To be defined. *Resources*: IDB's RPG funds.",
        "",
    ]
)


def test_english_layout_two_activities_on_a_line_and_a_number_printed_twice(draft_text) -> None:
    result = draft_text(ENGLISH_PLAN, 2020, "en")
    assert list(result.frame["activity_id"]) == [
        "2020-3.2.1",
        "2020-3.2.2",
        "2020-3.2.3",
        "2020-3.2.3-b",
        "2020-3.2.5",
        "2020-3.5.1",
    ]
    assert row(result, "2020-3.2.2")["notes"] == "Printed on the same line as 3.2.1."
    twice = row(result, "2020-3.2.3-b")
    assert twice["source_ref"] == "3.2.3" and "activity_id" in flags(twice)
    gobcamp = row(result, "2020-3.2.3")
    assert (gobcamp["venue_mode"], gobcamp["venue_country"]) == ("on_site", "CR")
    assert "activity_id" not in flags(gobcamp)


def test_english_layout_timing_comes_from_the_heading_above_until_the_next_area(draft_text) -> None:
    result = draft_text(ENGLISH_PLAN, 2020, "en")
    assert (
        row(result, "2020-3.2.3-b")["timing_original"],
        row(result, "2020-3.2.3-b")["timing"],
    ) == ("Annual Activities", "year_round")
    assert row(result, "2020-3.2.5")["timing"] == "S1"
    no_heading = row(result, "2020-3.5.1")  # area 3.5 prints no semester heading
    assert (no_heading["timing"], no_heading["timing_original"]) == ("", "")
    assert {"timing", "timing_original"} <= flags(no_heading)


def test_codes_the_extractor_cannot_vouch_for_are_flagged(draft_text) -> None:
    result = draft_text(ENGLISH_PLAN, 2020, "en")
    hybrid = row(result, "2020-3.2.5")
    assert (hybrid["venue_mode"], hybrid["funding_sources"]) == ("tbd", "working_group")
    assert {"venue_mode", "funding_sources"} <= flags(hybrid)  # 'Hybrid', 'CAF funds' unknown
    on_site = row(result, "2020-3.5.1")
    assert on_site["venue_mode"] == "on_site" and "venue_mode" not in flags(on_site)
    assert (on_site["funding_sources"], on_site["idb_instrument"]) == ("idb", "rpg")


def test_translations_are_left_empty_and_types_guessed_both_flagged(draft_text) -> None:
    english = row(draft_text(ENGLISH_PLAN, 2020, "en"), "2020-3.2.1")
    assert (english["title_en"], english["title_es"]) == ("Guide on privacy", "")
    assert {"title_es", "activity_type"} <= flags(english)
    assert english["activity_type"] == "study_or_document"
    spanish = row(draft_text(SPANISH_PLAN, 2024, "es"), "2024-3.7.1")
    assert (spanish["title_es"], spanish["title_en"]) == ("Webinar regional.", "")
    assert {"title_en", "activity_type"} <= flags(spanish)


def test_area_and_theme_come_from_the_heading_and_the_crosswalk(draft_text) -> None:
    result = draft_text(ENGLISH_PLAN, 2020, "en")
    known = row(result, "2020-3.2.1")
    assert (known["area_code"], known["area_name"], known["theme"]) == (
        "3.2",
        "Open Data",
        "open_data",
    )
    renamed = row(result, "2020-3.5.1")  # themes.csv names 2020 3.5 differently
    assert renamed["area_name"] == "Innovation" and "area_name" in flags(renamed)
    assert renamed["theme"] == "public_sector_innovation"
    unknown_year = row(draft_text(ENGLISH_PLAN, 2031, "en"), "2031-3.2.1")
    assert unknown_year["theme"] == "" and "theme" in flags(unknown_year)


# Trailing double spaces are Markdown line breaks, as in the 2024 export.
SPANISH_PLAN = "\n".join(
    [
        "## **3) Áreas de trabajo**  ",
        "",
        "### **3.5) Innovación en el sector público**",
        "",
        "### 3.5.2) Reuniones del grupo de trabajo<sup>2</sup>",
        "",
        "Fecha: Trimestral (4 al año).  ",
        "Recursos: Tiempo del grupo de trabajo.  ",
        "Lugar: Intercambios virtuales.",
        "",
        "## **3.7) Software público y Medición**",
        "",
        "#### 3.7.1) Webinar regional.",
        "",
        "---",
        "",
        "<sup>2</sup> Las reuniones se harán de manera conjunta.",
        "",
        "Lugar: Virtual  ",
        "Fecha: 1er semestre.  ",
        "Recursos: Tiempo del grupo de trabajo.",
        "",
        "3.7.2 Reuniones sin paréntesis",  # line 23
        "Lugar: Virtual.",
        "",
        "3.7.3) Alimentar espacio sobre este eje en el sitio web de Red Gealc",
        "Recursos: Tiempo del grupo de trabajo y fondos BID.",
        "",
    ]
)


def test_spanish_layout_fields_in_any_order_around_footnotes_and_page_breaks(draft_text) -> None:
    result = draft_text(SPANISH_PLAN, 2024, "es")
    meetings = row(result, "2024-3.5.2")
    assert meetings["title_original"] == "Reuniones del grupo de trabajo"
    assert (meetings["timing"], meetings["frequency_per_year"], meetings["venue_mode"]) == (
        "year_round",
        "4",
        "virtual",
    )
    assert meetings["notes"] == (
        "Footnote 2 of the plan: Las reuniones se harán de manera conjunta."
    )
    webinar = row(result, "2024-3.7.1")  # its fields follow the footnote and the page break
    assert (
        webinar["venue_original"],
        webinar["timing_original"],
        webinar["resources_original"],
    ) == ("Virtual", "1er semestre.", "Tiempo del grupo de trabajo.")
    assert (webinar["area_code"], webinar["area_name"]) == ("3.7", "Software público y Medición")


def test_a_line_that_looks_like_an_activity_but_cannot_be_read_is_reported_by_line(
    draft_text,
) -> None:
    result = draft_text(SPANISH_PLAN, 2024, "es")
    assert list(result.frame["source_ref"]) == ["3.5.2", "3.7.1", "3.7.3"]
    assert result.unparsed_lines == ["23"]
    assert "3.7.2" in result.warnings[0].message
    # its Lugar line belongs to no drafted activity: 3.7.1 keeps its own venue
    assert row(result, "2024-3.7.1")["venue_original"] == "Virtual"


def test_a_missing_field_is_left_empty_and_flagged_never_guessed(draft_text) -> None:
    website = row(draft_text(SPANISH_PLAN, 2024, "es"), "2024-3.7.3")
    assert (website["venue_original"], website["timing_original"]) == ("", "")
    assert {"venue_original", "venue_mode", "timing", "timing_original"} <= flags(website)
    assert (website["funding_sources"], website["idb_instrument"]) == (
        "idb;working_group",
        "general",
    )


def test_stray_text_inside_an_activity_is_reported_and_flags_the_field_before_it(
    draft_text,
) -> None:
    text = "3.1) Área\n3.1.1) Taller\nLugar: Virtual.\ntexto suelto\nFecha: Anual.\n"
    result = draft_text(text, 2024, "es")
    assert [(w.line, w.unparsed) for w in result.warnings] == [(4, False)]
    assert "venue_original" in flags(row(result, "2024-3.1.1"))


def test_an_activity_outside_its_area_takes_the_area_its_number_says(draft_text) -> None:
    text = "3.1) Área uno\n3.2.1) Taller\nLugar: Virtual.\n"
    result = draft_text(text, 2024, "es")
    record = row(result, "2024-3.2.1")
    assert record["area_code"] == "3.2" and {"area_code", "area_name"} <= flags(record)
    assert "printed under area 3.1" in result.warnings[0].message


@pytest.mark.parametrize(
    ("title", "product", "expected"),
    [
        (
            "Three on-site workshops to harmonize interoperability (safe information exchange).",
            "",
            "workshop",
        ),
        ("Meeting documents.", "", "governance"),
        ("Election of authorities and document approval.", "", "meeting"),
        ("Reuniones del grupo de trabajo", "", "working_group_meeting"),
        ("Dos espacios de dialogo para intercambio de conocimiento", "", "exchange"),
        ("Something new", "Report.", "study_or_document"),  # the product helps a vague title
        ("Something new", "", "other"),
    ],
)
def test_activity_type_guess_follows_the_codebook_keywords(
    title: str, product: str, expected: str
) -> None:
    assert coding_rules.guess_activity_type(title, product) == expected


def test_the_curated_types_are_what_the_keywords_guess() -> None:
    """The keyword table is written from the codebook's type table and its examples."""
    plans = load_plans()
    guessed = [
        coding_rules.guess_activity_type(t, p)
        for t, p in zip(plans["title_original"], plans["product"], strict=True)
    ]
    wrong = plans.loc[
        [g != str(c) for g, c in zip(guessed, plans["activity_type"], strict=True)], "activity_id"
    ]
    assert wrong.empty, f"keywords guess another type for {list(wrong)}"


# --------------------------------------------------------------------------- scoring


def test_score_counts_found_spurious_and_flagged_disagreements() -> None:
    truth = pd.DataFrame(
        {"activity_id": ["2030-3.1.1", "2030-3.1.2", "2030-3.1.3"], "timing": ["S1", "S2", "tbd"]}
    )
    drafted = pd.DataFrame(
        {
            "activity_id": ["2030-3.1.1", "2030-3.1.2", "2030-3.1.9"],
            "timing": ["S2", "S1", "S1"],
            draft.REVIEW_COLUMN: ["timing", "", ""],
        }
    )
    score = draft.score_draft(drafted, truth, fields=("timing",))
    assert (score.recall, score.precision) == (2 / 3, 2 / 3)
    assert score.missing == ("2030-3.1.3",) and score.spurious == ("2030-3.1.9",)
    assert score.agreement == {"timing": 0.0}
    assert [(d.activity_id, d.flagged) for d in score.disagreements] == [
        ("2030-3.1.1", True),
        ("2030-3.1.2", False),
    ]
    failures = score.target_failures()
    assert any("recall 66.7%" in f for f in failures)
    assert any("2030-3.1.2: timing drafted 'S1', curated 'S2', not flagged" in f for f in failures)


# --------------------------------------------------------------------------- completed drafts


@pytest.mark.parametrize("year", sorted(SEEDS))
def test_a_draft_with_its_flagged_fields_filled_passes_validate(
    draft_text, year: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "curated"
    shutil.copytree(paths.CURATED_DIR, data_dir)
    result = draft_text(seed_text(year), year)
    completed = draft.fill_flagged_from(result.frame, curated(year))
    assert list(completed.columns) == list(vocabulary.PLAN_COLUMNS)
    write_plan(completed, data_dir / f"plan_{year}.csv")
    assert len(load_plans(data_dir, years=[year])) == len(result.frame)
    assert cli.main(["validate", str(data_dir)]) == 0, capsys.readouterr().err


# --------------------------------------------------------------------------- the command


def test_command_writes_the_csv_and_prints_one_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan_2024.draft.csv"
    assert cli.main(["draft", str(SEEDS[2024]), "--year", "2024", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    [summary] = printed.out.splitlines()
    assert summary.startswith(
        f"draft 2024 (es) from {SEEDS[2024]}: 41 activities in 10 areas; "
        "82 fields flagged in 41 rows"
    )
    assert summary.endswith(f"unparsed lines: none; wrote {out}")
    written = out.read_bytes().decode("utf-8")
    assert written.splitlines()[0] == ",".join(draft.DRAFT_COLUMNS)
    assert "\r" not in written and len(written.splitlines()) == 42


def test_command_without_out_writes_the_csv_to_stdout_and_warnings_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(SPANISH_PLAN, encoding="utf-8")
    assert cli.main(["draft", str(plan), "--year", "2024"]) == 0
    printed = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(printed.out), dtype=str, keep_default_na=False)
    assert list(frame["source_ref"]) == ["3.5.2", "3.7.1", "3.7.3"]
    assert f"{plan}:23: '3.7.2 Reuniones sin paréntesis' looks like activity 3.7.2" in printed.err
    assert printed.err.splitlines()[-1].endswith("unparsed lines: 23; wrote stdout")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"3.1.1) Taller\nLugar: Virtual \xe1\n", "expected UTF-8 text, found byte 0xe1"),
        ("Just a letter.\nLugar: nowhere.\n", "no activity numbers like '3.1.1)' found"),
        ("3.1) A\n3.1.1) Something\n", "cannot tell the plan's language"),
    ],
)
def test_command_exits_2_with_a_message_for_what_the_user_can_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None, message: str
) -> None:
    plan = tmp_path / "plan.txt"
    if isinstance(content, bytes):
        plan.write_bytes(content)
    elif content is not None:
        plan.write_text(content, encoding="utf-8")
    assert cli.main(["draft", str(plan), "--year", "2025"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("draft: ") and message in err, err


def test_the_plans_title_year_is_found_and_a_different_year_warned_about(draft_text) -> None:
    assert draft.printed_plan_year(seed_text(2020).split("\n"))[1] == 2020
    assert draft.printed_plan_year(seed_text(2024).split("\n"))[1] == 2024
    result = draft_text(seed_text(2024), 2025)
    assert [(w.line, w.message) for w in result.warnings] == [
        (5, "the plan's title names the year 2024, the draft is for 2025: check --year")
    ]
    assert set(result.frame["plan_year"]) == {"2025"}


def test_a_date_field_that_contradicts_the_semester_heading_is_flagged(draft_text) -> None:
    text = "3.1) A\n1st. Semester Activities\n3.1.1) Taller. Venue: Virtual. Date: Anual.\n"
    record = row(draft_text(text, 2030, "en"), "2030-3.1.1")
    assert (record["timing_original"], record["timing"]) == ("Anual.", "year_round")
    assert "timing" in flags(record) and "1st. Semester Activities" in record["notes"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--year", "24"], "--year: expected the plan's four-digit year, found 24"),
        (
            ["--year", "2024", "--out", str(paths.CURATED_DIR / "plan_2024.csv")],
            "will not overwrite a file of the curated folder",
        ),
    ],
)
def test_command_refuses_a_wrong_year_or_overwriting_curated_data(
    capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    before = (paths.CURATED_DIR / "plan_2024.csv").read_bytes()
    assert cli.main(["draft", str(SEEDS[2024]), *extra]) == 2
    assert message in capsys.readouterr().err
    assert (paths.CURATED_DIR / "plan_2024.csv").read_bytes() == before


@pytest.mark.parametrize(
    ("title", "frequency", "flagged"),
    [
        ("Three horizontal cooperation exchanges.", "3", False),  # the rule reads it
        ("Seis talleres regionales.", "1", True),  # a count the rule does not know
        ("Support to the ExcelGov 2020 Awards.", "1", False),  # a year is not a count
    ],
)
def test_a_count_the_frequency_rule_does_not_read_is_flagged(
    draft_text, title: str, frequency: str, flagged: bool
) -> None:
    text = f"3.1) A\nAnnual Activities\n3.1.1) {title} Venue: Virtual. Resources: IDB.\n"
    record = row(draft_text(text, 2030, "en"), "2030-3.1.1")
    assert record["frequency_per_year"] == frequency
    assert ("frequency_per_year" in flags(record)) is flagged


def test_an_empty_label_is_flagged_and_a_repeated_label_below_fills_it(draft_text) -> None:
    text = "3.1) A\nAnnual Activities\n3.1.1) Taller\nVenue:\nVenue: Virtual.\nResources: IDB.\n"
    result = draft_text(text, 2030, "en")
    record = row(result, "2030-3.1.1")
    assert (record["venue_original"], record["venue_mode"]) == ("Virtual.", "virtual")
    assert "venue_original" in flags(record) and not result.warnings


def test_a_value_printed_on_the_line_below_its_label_is_taken_and_flagged(draft_text) -> None:
    text = "3.1) A\n3.1.1) Taller\nLugar:\nPresencial.\nFecha: Anual.\nRecursos: BID.\n"
    result = draft_text(text, 2030, "es")
    record = row(result, "2030-3.1.1")
    assert (record["venue_original"], record["venue_mode"]) == ("Presencial.", "on_site")
    assert "venue_original" in flags(record) and not result.warnings


def test_command_without_a_themes_crosswalk_exits_2_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["draft", str(SEEDS[2020]), "--year", "2020", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "the themes crosswalk is needed for the theme column" in err
    assert "themes.csv" in err


def _guarded_files() -> dict[Path, bytes]:
    """Every file of the project's data folder, with its bytes."""
    return {path: path.read_bytes() for path in sorted(paths.DATA_DIR.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(
    ("out", "message"),
    [
        # the curated plan, with --data-dir pointing elsewhere (issue 20: exit 0, data lost)
        (lambda tmp: paths.CURATED_DIR / "plan_2024.csv", "will not overwrite a file of"),
        # the raw plan text being drafted, and the sources registry
        (lambda tmp: SEEDS[2024], "is the plan being drafted"),
        (lambda tmp: paths.RAW_DIR / "sources.yaml", "will not overwrite a file of"),
        # a new file inside data/ is refused as well: drafts are reviewed before they go there
        (lambda tmp: paths.CURATED_DIR / "plan_2099.csv", "will not overwrite a file of"),
        (lambda tmp: tmp, "is a folder"),
        # a file of the --data-dir folder itself
        (lambda tmp: tmp / "elsewhere" / "plan_2024.csv", "will not overwrite a file of"),
    ],
)
def test_draft_never_writes_into_the_data_folders_whatever_data_dir_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out, message: str
) -> None:
    before = _guarded_files()
    arguments = ["draft", str(SEEDS[2024]), "--year", "2024", "--out", str(out(tmp_path))]
    elsewhere = tmp_path / "elsewhere"  # a copy of the curated data, as in the probe
    shutil.copytree(paths.CURATED_DIR, elsewhere)
    assert cli.main([*arguments, "--data-dir", str(elsewhere)]) == 2
    assert message in capsys.readouterr().err
    assert _guarded_files() == before
    assert not (paths.CURATED_DIR / "plan_2099.csv").exists()


def test_draft_refuses_its_own_input_and_a_link_into_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(SEEDS[2024].read_bytes())
    assert cli.main(["draft", str(plan), "--year", "2024", "--out", str(plan)]) == 2
    assert "is the plan being drafted" in capsys.readouterr().err
    assert plan.read_bytes() == SEEDS[2024].read_bytes()
    link = tmp_path / "looks-harmless.csv"
    link.symlink_to(paths.CURATED_DIR / "plan_2024.csv")
    before = _guarded_files()
    assert cli.main(["draft", str(plan), "--year", "2024", "--out", str(link)]) == 2
    assert "will not overwrite a file of the curated folder" in capsys.readouterr().err
    assert _guarded_files() == before and link.is_symlink()


def test_an_existing_draft_is_replaced_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan_2024.draft.csv"
    out.write_text("keep me", encoding="utf-8")
    arguments = ["draft", str(SEEDS[2024]), "--year", "2024", "--out", str(out)]
    assert cli.main(arguments) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert cli.main([*arguments, "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("plan_year,activity_id,")
    assert sorted(path.name for path in tmp_path.iterdir()) == [out.name]  # no temporary left
