"""Numbers in, numbers out: input checks, intervals, the NPS vocabulary, multiple testing."""
