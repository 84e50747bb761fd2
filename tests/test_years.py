"""Which years a run covers: the forms people type, and only ASCII four-digit years."""

from __future__ import annotations

import pytest

from gealc_analysis.core.years import comparison_years, parse_years


@pytest.mark.parametrize(
    ("typed", "years"),
    [
        (None, None),
        ("", None),
        ([], None),
        (2024, [2024]),
        ("2020,2024", [2020, 2024]),
        ("[2020, 2024]", [2020, 2024]),
        ([2020, "2024"], [2020, 2024]),
    ],
)
def test_parse_years_accepts_the_forms_people_type(typed: object, years: list[int] | None) -> None:
    assert parse_years(typed) == years


@pytest.mark.parametrize("typed", ["٢٠٢٤", "２０２４", "20", "2024a", "2020,x"])
def test_parse_years_refuses_what_is_not_an_ascii_four_digit_year(typed: str) -> None:
    with pytest.raises(ValueError, match="expected a four-digit year like 2024"):
        parse_years(typed)


def test_comparison_years_default_to_first_and_last_and_must_be_present() -> None:
    assert comparison_years([2024, 2020, 2022], None, None, among="plans") == (2020, 2024)
    with pytest.raises(ValueError, match="baseline year 2019 is not among the plans"):
        comparison_years([2020, 2024], 2019, None, among="plans")
