"""Tools for the curator: the codebook's coding rules as functions (``coding_rules``) and
``gealc-report draft`` (``draft``), which drafts a new year's CSV from the plan's text.
"""
