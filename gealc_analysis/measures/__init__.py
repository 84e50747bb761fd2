"""Measures: typed frames from the data layer in, tidy frames of codes and numbers out.

No labels, no formatting, no drawing: words (:mod:`gealc_analysis.words`) and charts
(:mod:`gealc_analysis.charts`) are put on at the edge. Frame contracts: ``contracts``.
"""
