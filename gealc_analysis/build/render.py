"""An executed notebook as one self-contained HTML page: outputs only, no code."""

from __future__ import annotations

from pathlib import Path

from gealc_analysis import i18n
from gealc_analysis.build.layout import SECTION_TEMPLATE
from gealc_analysis.build.parameters import (
    lang_of,
    notebook_title,
    other_language_tags,
    papermill_parameters,
    parameters_line,
)

# Cells removed from the pages: the defaults and the values papermill injected are shown as
# one readable parameters line instead.
HIDDEN_CELL_TAGS: tuple[str, ...] = ("parameters", "injected-parameters")


def render_section(executed: Path, page: Path, *, assets_dir: Path | None = None) -> None:
    """Write ``page``: the outputs of the executed notebook as one self-contained HTML file.

    No code, no prompts, no parameter cells; a parameters line and a link to the index on
    top; images embedded. ``assets_dir`` is where relative image links of markdown cells
    point (the source notebook's folder).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = nbformat.read(executed, as_version=4)
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    parameters = papermill_parameters(nb)
    lang = lang_of(parameters)
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS) | other_language_tags(
        lang
    )
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        template_file=str(SECTION_TEMPLATE),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=lang,
    )
    resources = {
        "metadata": {
            "name": notebook_title(nb, lang) or executed.stem,
            "path": str(assets_dir or executed.parent),
        },
        "gealc_parameters": parameters_line(parameters),
        "gealc_back_to_index": i18n.label("report.back_to_index", lang),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    page.write_text(body, encoding="utf-8")
