"""Where a language's index gets its key findings and caveat: ``gealc_analysis.words.findings``,
computed from the build's one load of the data (the :class:`DataBundle`), so the index, the
brief and the sections state the same numbers from the same files.
"""

from __future__ import annotations

from gealc_analysis.data.bundle import DataBundle
from gealc_analysis.words import findings


def key_findings(
    bundle: DataBundle, baseline_year: int, compare_year: int, lang: str
) -> tuple[list[str], str]:
    """The index's key findings (Markdown sentences) and its one-line caveat, in ``lang``."""
    sentences = findings.key_findings(bundle, baseline_year, compare_year, lang)
    return list(sentences), str(findings.caveat(lang))
