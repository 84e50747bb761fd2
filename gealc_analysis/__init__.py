"""gealc_analysis: load, validate, analyse and chart the Red GEALC work plans.

Modules, in the order data flows through them:

- ``vocabulary`` controlled vocabularies (the one definition of every code)
- ``coding_rules`` the codebook's coding rules (printed text → codes)
- ``years``     which plan years a run covers and compares
- ``data``      load + validate the curated CSVs (``load_plans``, ``PlanDataError``)
- ``analysis``  pure functions: tidy DataFrame in, tidy DataFrame out
- ``i18n``      EN/ES labels from one catalogue
- ``plots``     one function per chart, one style
- ``build``     package: run the notebooks with papermill and render the static report
- ``cli``       the ``gealc-report`` command
"""

from gealc_analysis.data import PlanDataError, load_plans, load_themes

__all__ = ["PlanDataError", "load_plans", "load_themes"]
__version__ = "0.1.0"
