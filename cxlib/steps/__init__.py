"""One module per step notebook, each with the same shape (see :mod:`cxlib.steps.base`)."""
