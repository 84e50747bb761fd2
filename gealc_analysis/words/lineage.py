"""What carried over, in a reader's words: the links as a list with titles, and one sentence
per pair of consecutive plans (numbers from :mod:`gealc_analysis.measures.lineage`)."""

from __future__ import annotations

import pandas as pd

from gealc_analysis.data.lineage import NEW, RELATIONS, consecutive_pairs, unlinked_pairs
from gealc_analysis.measures.lineage import lineage_counts
from gealc_analysis.words import i18n


def lineage_list(lineage: pd.DataFrame, plans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The links as a reader's list: relation, the two activities with their titles, the note.

    Titles and the note in ``lang`` (``note`` is English, ``note_<lang>`` another language's
    twin, written by a person); rows by pair, then relation (continued … new), then activity
    number.
    """
    title = f"title_{i18n.check_lang(lang)}"
    note = "note" if lang == "en" else f"note_{lang}"
    titles = dict(zip(plans["activity_id"].astype(str), plans[title].astype(str), strict=True))
    out = lineage.assign(
        from_title=[titles.get(a, "") for a in lineage["from_activity_id"]],
        to_title=[titles.get(a, "") for a in lineage["to_activity_id"]],
        _rank=lineage["relation"].map({r: i for i, r in enumerate(RELATIONS)}),
        _note=lineage[note],
    )
    out = out.sort_values(
        ["from_year", "to_year", "_rank", "from_activity_id", "to_activity_id"], kind="stable"
    )
    return (
        out[
            [
                "from_year",
                "to_year",
                "relation",
                "from_activity_id",
                "from_title",
                "to_activity_id",
                "to_title",
                "_note",
            ]
        ]
        .rename(columns={"_note": "note"})
        .reset_index(drop=True)
    )


def text_signal_list(signals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The signals in the plans' text as a reader's list: the signal's number (in file order),
    the plan year, where the passage is (as printed), the plan's words, the raw text and its
    lines, and what the passage shows in ``lang`` (``note_en`` / ``note_<lang>``)."""
    note = f"note_{i18n.check_lang(lang)}"
    number = {signal: i for i, signal in enumerate(dict.fromkeys(signals["signal"]), start=1)}
    out = pd.DataFrame(
        {
            "signal": [number[s] for s in signals["signal"]],
            "plan_year": signals["plan_year"],
            "source_ref": signals["source_ref"],
            "quote": signals["quote"],
            "raw_file": signals["raw_file"],
            "lines": signals["lines"],
            "what_it_shows": signals[note],
        }
    )
    return out.reset_index(drop=True)


def carry_over_summary(lineage: pd.DataFrame, plans: pd.DataFrame, lang: str) -> str:
    """One sentence per pair of consecutive plans (what continued, changed, merged, split,
    was dropped or is new), and a line for each pair not linked yet."""
    counts = lineage_counts(lineage, plans)
    lines = []
    for (earlier, later), group in counts.groupby(["from_year", "to_year"], sort=True):
        by = group.set_index("relation")
        lines.append(
            i18n.label(
                "lineage.summary",
                lang,
                from_year=earlier,
                to_year=later,
                n_earlier=int(by["n_earlier"].sum()),
                n_later=int(by["n_later"].sum()),
                **{r: int(by.at[r, "n_later" if r == NEW else "n_earlier"]) for r in RELATIONS},
            )
        )
    lines += [
        i18n.label("lineage.not_linked", lang, from_year=a, to_year=b)
        for a, b in unlinked_pairs(lineage, plans)
    ]
    if not consecutive_pairs(plans):
        lines.append(
            i18n.label("lineage.single_plan", lang, year=int(plans["plan_year"].astype(int).min()))
        )
    return "\n\n".join(lines)
