"""Evenness and diversity of each plan's agenda over themes (Shannon entropy)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from gealc_analysis.measures.themes import count_by_theme

POLICY, ORGANISATIONAL = "policy", "organisational"


def entropy(counts: np.ndarray) -> tuple[float, int]:
    """Shannon entropy (natural log) of a count vector and its number of non-zero categories.

    The one entropy of the report: diversity, evenness and the robustness headlines use it.
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total <= 0:
        return 0.0, 0
    shares = counts[counts > 0] / total
    return float(-(shares * np.log(shares)).sum()) + 0.0, int(len(shares))


def agenda_diversity(plans: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Shannon entropy of each year's theme distribution of activities.

    Normalised by ln(number of crosswalk themes), the same for every year, so the value is
    comparable across plans (as in Comparative Agendas Project research); exp(H) reads as
    the number of equally-sized themes that would give the same diversity.
    """
    counts = count_by_theme(plans, themes)
    n_categories = int(counts["theme"].nunique())
    rows = []
    for year, group in counts.groupby("plan_year", sort=True):
        value, present = entropy(group["n_activities"].to_numpy(dtype=float))
        max_entropy = math.log(n_categories) if n_categories > 1 else float("nan")
        rows.append(
            {
                "plan_year": int(year),
                "n_activities": int(group["n_activities"].sum()),
                "n_themes_present": present,
                "n_categories": n_categories,
                "entropy": value,
                "normalised_entropy": value / max_entropy,
                "effective_n_themes": math.exp(value),
            }
        )
    return pd.DataFrame(rows).astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "n_themes_present": "int64",
            "n_categories": "int64",
        }
    )


def organisational_themes(theme_kinds: pd.DataFrame | None) -> set[str]:
    """The theme keys ``theme_kinds`` marks organisational (none without ``theme_kinds``)."""
    if theme_kinds is None:
        return set()
    kinds = theme_kinds["kind"].astype(str)
    return set(theme_kinds.loc[kinds == ORGANISATIONAL, "theme"].astype(str))


def agenda_evenness(
    plans: pd.DataFrame, themes: pd.DataFrame, theme_kinds: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Evenness of each plan over the themes it has, beside the crosswalk-wide normalisation,
    and diversity over policy themes only.

    H / ln n_crosswalk penalises an early plan for themes that did not exist yet; H / ln k
    (k = themes with activities that year) does not. Organisational themes (running the
    network: ``theme_kinds`` kind "organisational") are left out of the policy measures;
    without ``theme_kinds`` every theme counts as policy. Columns: plan_year, n_activities,
    n_themes_present, n_themes_crosswalk, evenness_present, evenness_crosswalk,
    effective_n_themes, n_policy_activities, n_policy_themes_present,
    effective_n_policy_themes, evenness_policy.
    """
    counts = count_by_theme(plans, themes)
    organisational = organisational_themes(theme_kinds)
    n_crosswalk = int(counts["theme"].nunique())
    rows = []
    for year, group in counts.groupby("plan_year", sort=True):
        all_counts = group["n_activities"].to_numpy(dtype=float)
        policy = group[~group["theme"].isin(organisational)]["n_activities"].to_numpy(float)
        value, present = entropy(all_counts)
        policy_value, policy_present = entropy(policy)
        rows.append(
            {
                "plan_year": int(year),
                "n_activities": int(all_counts.sum()),
                "n_themes_present": present,
                "n_themes_crosswalk": n_crosswalk,
                "evenness_present": value / math.log(present) if present > 1 else float("nan"),
                "evenness_crosswalk": value / math.log(n_crosswalk)
                if n_crosswalk > 1
                else float("nan"),
                "effective_n_themes": math.exp(value),
                "n_policy_activities": int(policy.sum()),
                "n_policy_themes_present": policy_present,
                "effective_n_policy_themes": math.exp(policy_value),
                "evenness_policy": policy_value / math.log(policy_present)
                if policy_present > 1
                else float("nan"),
            }
        )
    return pd.DataFrame(rows).astype(
        {
            "plan_year": "int64",
            "n_activities": "int64",
            "n_themes_present": "int64",
            "n_themes_crosswalk": "int64",
            "n_policy_activities": "int64",
            "n_policy_themes_present": "int64",
        }
    )
