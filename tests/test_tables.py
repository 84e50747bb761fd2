"""The reader's view of analysis tables: labelled headers, labels for codes, locale percentages."""

import pandas as pd

from gealc_analysis import tables


def test_reader_view_shows_headers_labels_and_percentages_for_readers() -> None:
    frame = pd.DataFrame({
        "plan_year": [2024],
        "theme": ["cybersecurity"],
        "theme_label_en": ["Cybersecurity"],
        "theme_label_es": ["Ciberseguridad"],
        "source": ["idb"],
        "funding_sources": ["idb;oas"],
        "share": [0.5],
        "idb_only": [True],
    })
    view = tables.reader_view(frame, "es")
    assert list(view.columns) == ["Año del plan", "Tema", "Fuente de financiamiento",
                                  "Fuentes de financiamiento", "Proporción", "Solo BID"]
    assert view.iloc[0].tolist() == [2024, "Ciberseguridad", "BID", "BID; OEA", "50,0\u00a0%", "sí"]
