"""The provenance record of a build (``gealc_analysis.core.provenance``) in a reader's words:
the one line every page footer, the brief and the explorer print."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gealc_analysis.core.provenance import PACKAGE_NAME
from gealc_analysis.words import i18n

# Characters of the commit and fingerprint shown in a footer line (the JSON keeps them whole).
SHORT_HASH = 12


def provenance_line(prov: Mapping[str, Any], lang: str) -> str:
    """One footer line in ``lang``: version, commit, data fingerprint and build date.

    E.g. "gealc-report 0.1.0 · commit 46dbc38e1f2a · data SHA-256 1a2b3c4d5e6f · built
    2023-11-22". A missing commit or date says so instead of leaving a gap.
    """
    commit = prov.get("git_commit")
    date = prov.get("build_date")
    parts = [
        f"{prov.get('package', PACKAGE_NAME)} {prov.get('version', '')}".strip(),
        i18n.label(
            "pages.provenance.commit",
            lang,
            commit=commit[:SHORT_HASH]
            if commit
            else i18n.label("pages.provenance.no_commit", lang),
        ),
        i18n.label(
            "pages.provenance.data", lang, sha=str(prov.get("data_sha256", ""))[:SHORT_HASH]
        ),
        i18n.label(
            "pages.provenance.date",
            lang,
            date=date if date else i18n.label("pages.provenance.no_date", lang),
        ),
    ]
    return " · ".join(parts)
