"""The robustness of the headlines in a reader's words: labels of the contested decisions and
their alternatives, the robustness table as a reader reads it, one statement per headline and
the section's summary. The numbers come from :mod:`gealc_analysis.measures.robustness`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from gealc_analysis.data import crosswalk_in_order
from gealc_analysis.data.alternatives import decisions
from gealc_analysis.measures.robustness import KIND_CHANGE, KIND_COUNT, KIND_LABEL
from gealc_analysis.words import i18n
from gealc_analysis.words.markup import markdown_text


def decision_label(decision: str, lang: str) -> str:
    return i18n.label(f"robustness.decision.{decision}", lang)


def alternative_label(decision: str, alternative: str, lang: str) -> str:
    return i18n.label(f"robustness.alternative.{decision}.{alternative}", lang)


def reader_table(table: pd.DataFrame, labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The robustness table in a reader's words: headline, plan, value, range, verdict.

    ``labels`` maps theme keys to names (``theme_labels``).
    """
    rows = []
    for row in table.itertuples(index=False):
        rows.append(
            {
                "headline": i18n.label(f"robustness.headline.{row.headline}", lang),
                "plan": row.plan,
                "primary": _shown(
                    row.kind, row.primary_value, row.primary_text, labels, lang, row.headline
                ),
                "range": _range(row, labels, lang),
                "holds": i18n.label("column.yes" if row.holds_everywhere else "column.no", lang),
                "depends_on": "; ".join(
                    decision_label(d, lang) for d in row.depends_on.split(";") if d
                ),
            }
        )
    out = pd.DataFrame(
        rows, columns=["headline", "plan", "primary", "range", "holds", "depends_on"]
    )
    return out.rename(columns={c: i18n.label(f"robustness.column.{c}", lang) for c in out})


def theme_labels(
    themes: pd.DataFrame, alternatives: pd.DataFrame | None, lang: str
) -> dict[str, str]:
    """Theme key → name in ``lang``, for the crosswalk's themes and for the themes only an
    alternative coding creates (their labels are in the alternatives file)."""
    column = f"theme_label_{i18n.check_lang(lang)}"
    rows = crosswalk_in_order(themes)
    labels = {str(t): str(label) for t, label in zip(rows["theme"], rows[column], strict=True)}
    if alternatives is None or alternatives.empty:
        return labels
    edits = alternatives[alternatives["table"] == "themes"]
    for _, group in edits.groupby(["decision", "alternative", "row_id"], sort=False):
        cells = dict(zip(group["column"], group["value"], strict=True))
        if "theme" in cells and column in cells:
            labels.setdefault(str(cells["theme"]), str(cells[column]))
    return labels


def _number(value: float, lang: str, headline: str = "", kind: str = KIND_COUNT) -> str:
    """A headline value as a reader reads it: shares as %, share changes in points, changes
    signed, counts whole, indices with two decimals (evenness, whose changes are small,
    three)."""
    if math.isnan(value):
        return "—"
    if headline.endswith("_share_change"):
        points = i18n.format_signed(value * 100, lang, 1)
        return f"{points}\u00a0{i18n.label('unit.percentage_points', lang)}"
    if headline.startswith("s1_share"):
        return i18n.format_percent(value, lang, 1)
    decimals = 0 if float(value).is_integer() else 3 if "evenness" in headline else 2
    if kind == KIND_CHANGE:
        return i18n.format_signed(value, lang, decimals)
    return i18n.format_number(value, lang, decimals)


def _names(text: str, labels: Mapping[str, str], lang: str) -> str:
    keys = [t for t in text.split(";") if t]
    if not keys:
        return i18n.label("narrative.none", lang)
    return "; ".join(labels.get(t, t) for t in keys)


def _shown(
    kind: str, value: float, text: str, labels: Mapping[str, str], lang: str, headline: str = ""
) -> str:
    if kind == KIND_LABEL:
        return _names(text, labels, lang)
    return _number(value, lang, headline, kind)


def _range(row: object, labels: Mapping[str, str], lang: str, sentence: bool = False) -> str:
    """ "low – high" of a number ("ranges from low to high" in a ``sentence``), or every set
    of names met, primary first."""
    if row.kind == KIND_LABEL:  # type: ignore[attr-defined]
        others = _other_texts(row)
        return " | ".join(
            [
                _names(row.primary_text, labels, lang),  # type: ignore
                *(_names(t, labels, lang) for t in others),
            ]
        )
    low, high = row.min_value, row.max_value  # type: ignore[attr-defined]
    shown = [_number(v, lang, row.headline, row.kind) for v in (low, high)]  # type: ignore
    if low == high:
        return shown[0]
    if not sentence:
        return f"{shown[0]} – {shown[1]}"
    return i18n.label("robustness.range", lang, low=shown[0], high=shown[1])


def _other_texts(row: object) -> list[str]:
    """The sets of names other codings give (``other_texts`` is "[a;b];[c]")."""
    cell = str(row.other_texts)  # type: ignore[attr-defined]
    return cell[1:-1].split("];[") if cell else []


def robustness_statements(table: pd.DataFrame, labels: Mapping[str, str], lang: str) -> str:
    """One Markdown bullet per headline and plan: its main value and whether it holds under
    every coding, or its range and the decisions it depends on. The theme names are the
    data's: escaped, so they read as typed."""
    labels = {key: markdown_text(name) for key, name in labels.items()}
    lines = []
    for row in table.itertuples(index=False):
        fmt = {
            "headline": i18n.label(f"robustness.headline.{row.headline}", lang),
            "plan": row.plan,
            "value": _shown(
                row.kind, row.primary_value, row.primary_text, labels, lang, row.headline
            ),
            "range": _range(row, labels, lang, sentence=True),
            "n": row.n_codings,
            "decisions": "; ".join(decision_label(d, lang) for d in row.depends_on.split(";") if d),
        }
        if not row.holds_everywhere and row.kind == KIND_LABEL:
            key = "robustness.depends_label"
            fmt["range"] = " | ".join(_names(t, labels, lang) for t in _other_texts(row))
        elif not row.holds_everywhere:
            key = "robustness.depends"
        elif row.min_value != row.max_value and row.kind != KIND_LABEL:
            key = "robustness.holds_direction"
        else:
            key = "robustness.holds"
        lines.append("- " + i18n.label(key, lang, **fmt))
    return "\n".join(lines)


def decision_table(alternatives: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The contested decisions for a reader: the decision, its alternatives (main coding
    first) and the rows it touches (activity ids or crosswalk areas)."""
    rows = []
    for decision, alts in decisions(alternatives).items():
        touched = alternatives.loc[alternatives["decision"] == decision, "row_id"]
        rows.append(
            {
                "decision": decision_label(decision, lang),
                "alternatives": " | ".join(alternative_label(decision, a, lang) for a in alts),
                "rows": ", ".join(dict.fromkeys(str(r) for r in touched)),
            }
        )
    out = pd.DataFrame(rows, columns=["decision", "alternatives", "rows"])
    return out.rename(columns={c: i18n.label(f"robustness.column.{c}", lang) for c in out})


def summary(table: pd.DataFrame, lang: str) -> str:
    """The section's headline: how many figures hold everywhere, and on what the rest hang."""
    depends = [d for cell in table["depends_on"] for d in str(cell).split(";") if d]
    return i18n.label(
        "robustness.summary",
        lang,
        n_hold=int(table["holds_everywhere"].sum()),
        n_total=len(table),
        n_codings=int(table["n_codings"].max()) if len(table) else 1,
        decisions="; ".join(decision_label(d, lang) for d in dict.fromkeys(depends))
        or i18n.label("narrative.none", lang),
    )
