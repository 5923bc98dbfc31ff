"""CX analyses: tidy DataFrames in, tidy DataFrames or dataclasses out; no file I/O, no labels."""
