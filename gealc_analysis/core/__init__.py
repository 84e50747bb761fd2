"""Foundation every layer may use: where the project's folders are (``paths``), which plan
years a run covers (``years``), deterministic atomic writers of figures and tables
(``outputs``) and where a report came from (``provenance``). Imports nothing else of the package.
"""
