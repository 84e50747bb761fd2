"""Measures: typed frames from the data layer in, tidy frames of codes and numbers out.

No labels, no formatting, no drawing: words (:mod:`gealc_analysis.words`) and charts
(:mod:`gealc_analysis.charts`) are put on at the edge. One module per job, one function per
measure: ``tally`` (the counting every table is built on), ``counts`` (activities, events,
two plans side by side), ``funding`` (named / fractional / only cash / only resource of any
funder, instruments, exposure), ``themes`` (attention, shifts, new and dropped themes),
``diversity`` (entropy, evenness), ``timing`` (semester load), ``lineage`` (what carried
over), ``robustness`` (every headline recomputed by those same functions under every
contested coding). Frame contracts: ``contracts`` and ``CONTRACTS.md``.
"""
