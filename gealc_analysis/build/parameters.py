"""What a notebook ran with, as its page and the index show it, in the page's language."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from gealc_analysis.words import i18n

# Parameters shown on the pages, in this order, with their words from the label catalogue
# (``report.param.<name>``). Anything else a notebook receives is shown as "name value",
# except the paths below, which differ per machine and per build (the executed notebook
# keeps them).
SHOWN_PARAMETERS: tuple[str, ...] = ("years", "baseline_year", "compare_year", "lang")
PATH_PARAMETERS: frozenset[str] = frozenset({"data_dir", "output_dir"})
# Markdown cells tagged ``lang-<code>`` are prose in that language: a page keeps the cells of
# its own language (and untagged ones) and drops the others.
LANGUAGE_TAG_PREFIX = "lang-"


def parameters_line(parameters: Mapping[str, Any]) -> str:
    """One readable line of what a notebook ran with, in its language, for its page.

    E.g. "Parameters: years 2020, 2024 · baseline 2020 · compare 2024 · language en".
    """
    lang = lang_of(parameters)
    parts = [
        f"{i18n.label(f'report.param.{key}', lang)} {_show_value(parameters[key])}"
        for key in SHOWN_PARAMETERS
        if key in parameters
    ]
    parts += [
        f"{key} {_show_value(value)}"
        for key, value in parameters.items()
        if key not in SHOWN_PARAMETERS and key not in PATH_PARAMETERS
    ]
    return f"{i18n.label('report.parameters', lang)}: " + " · ".join(parts)


def lang_of(parameters: Mapping[str, Any]) -> str:
    """The report language a run used ("en" when it did not say)."""
    lang = str(parameters.get("lang", "en"))
    return lang if lang in i18n.SUPPORTED_LANGS else "en"


def other_language_tags(lang: str) -> set[str]:
    """Cell tags of the prose in every language but ``lang`` (cells a page drops)."""
    return {f"{LANGUAGE_TAG_PREFIX}{other}" for other in i18n.SUPPORTED_LANGS if other != lang}


def _show_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def report_title(years: Sequence[int], lang: str) -> str:
    """The report's title for a run over ``years``: "Red GEALC work plans: 2020 → 2024"."""
    return f"{i18n.label('report.title', lang)}: {' → '.join(str(year) for year in years)}"


def papermill_parameters(nb: Any) -> dict[str, Any]:
    """The parameters papermill recorded in an executed notebook's metadata."""
    return dict(nb.metadata.get("papermill", {}).get("parameters", {}))


def notebook_title(nb: Any, lang: str = "en") -> str | None:
    """The first level-1 markdown heading ("# Title") in ``lang``'s cells, if there is one."""
    skipped = other_language_tags(lang)
    for cell in nb.cells:
        if cell.cell_type != "markdown" or skipped & set(cell.metadata.get("tags", [])):
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
    return None
