"""Timing load: activities and events per semester, year-round and undated."""

from __future__ import annotations

import pandas as pd

from gealc_analysis.data.vocabulary import SEMESTERS, TIMINGS
from gealc_analysis.measures.tally import (
    as_str,
    event_tally,
    event_weights,
    plan_years,
    share,
    tally,
)

# The timings after the semesters are, in vocabulary order, "all year" and "not scheduled";
# unpacking fails loudly at import if that vocabulary changes shape.
YEAR_ROUND, TBD = TIMINGS[len(SEMESTERS) :]
EVENT_TIMINGS: tuple[str, ...] = (*SEMESTERS, TBD)


def semester_load(plans: pd.DataFrame) -> pd.DataFrame:
    """Activities per timing class (S1, S2, year_round, tbd) and their share of the year."""
    return tally(plans, "timing", TIMINGS, plan_years(plans))


def semester_event_load(plans: pd.DataFrame) -> pd.DataFrame:
    """Events (not activities; event-type rows only) per semester, the workload the network
    actually carries.

    A year-round activity with f events a year adds f/2 to each semester; unscheduled
    (tbd) events stay visible as their own row instead of being guessed into a semester.
    """
    timing = as_str(plans["timing"])
    frame = pd.DataFrame(
        {
            "plan_year": plans["plan_year"].astype("int64").to_numpy(),
            "timing": timing.to_numpy(),
            "n_events": event_weights(plans).astype(float).to_numpy(),
        }
    )
    year_round = frame["timing"] == YEAR_ROUND
    halves = [
        frame[year_round].assign(timing=semester, n_events=lambda f: f["n_events"] / len(SEMESTERS))
        for semester in SEMESTERS
    ]
    long = pd.concat([frame[~year_round], *halves], ignore_index=True)
    return tally(
        long, "timing", EVENT_TIMINGS, plan_years(plans), weight="n_events", value_name="n_events"
    ).astype({"n_events": float})


def semester_split_dated(plans: pd.DataFrame) -> pd.DataFrame:
    """Timing per year with the semester split taken over dated activities only.

    Year-round and undated (tbd) activities are shown apart, never split in halves (halving
    makes any plan look balanced by construction). Columns: plan_year, timing
    (vocabulary.TIMINGS), n_activities, n_events, n_dated, share_of_dated (S1/S2 over
    S1+S2; NaN for year_round and tbd).
    """
    years = plan_years(plans)
    counts = tally(plans, "timing", TIMINGS, years)
    events = event_tally(plans, "timing", TIMINGS, years)
    out = counts.drop(columns="share").merge(
        events[["plan_year", "timing", "n_events"]], on=["plan_year", "timing"]
    )
    dated = out[out["timing"].isin(SEMESTERS)].groupby("plan_year")["n_activities"].sum()
    out["n_dated"] = out["plan_year"].map(dated).fillna(0).astype("int64")
    shares = share(out["n_activities"], out["n_dated"])
    out["share_of_dated"] = shares.where(out["timing"].isin(SEMESTERS) & (out["n_dated"] > 0))
    return out.astype({"n_events": "int64"})[
        ["plan_year", "timing", "n_activities", "n_events", "n_dated", "share_of_dated"]
    ]
