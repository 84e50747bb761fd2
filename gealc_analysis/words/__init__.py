"""Words at the edge: the EN/ES label catalogue (``i18n`` + ``labels.csv``), sentences
(``narrative``; ``funding``, ``lineage`` and ``robustness`` for those sections), the key
findings (``findings``) and tables for people (``tables``). Numbers come from
:mod:`gealc_analysis.measures`; nothing here computes a measure of its own.
"""
