"""Numbers in, numbers out: input checks, intervals, the NPS vocabulary, multiple testing.

Nothing here knows a CX table, a label or a language (the layer rule of ``ARCHITECTURE.md``);
:mod:`cxlib.analysis` builds the CX analyses on these functions.
"""
