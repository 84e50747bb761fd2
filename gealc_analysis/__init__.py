"""gealc_analysis: load, validate, analyse, chart and publish the Red GEALC work plans.

Sub-packages, bottom to top; each imports only from those below it (the layer contract in
``pyproject.toml``, checked by ``lint-imports`` in CI):

- ``core``      paths, plan years, atomic writers, provenance: used by every layer
- ``data``      the data contract: read, check and type every curated table into one bundle
- ``measures``  codes and numbers from the bundle's frames (no words, no drawing)
- ``words``     the EN/ES label catalogue, sentences, key findings, tables for people
- ``charts``    one look and one function per chart
- ``notebook``  what a report notebook imports (the section object)
- ``products``  the Committee's brief and the researchers' explorer
- ``build``     run the notebooks and publish the static report
- ``curation``  the curator's tools (coding rules, ``gealc-report draft``)
- ``cli``       the ``gealc-report`` command
"""

__version__ = "0.1.0"
