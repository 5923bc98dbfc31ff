"""The papermill engine ``cxwb``: papermill's nbclient engine on step kernels.

It differs from papermill's default engine in four ways:
- kernels are :class:`~cxlib.kernels.StepKernelManager`, whose client never misses a
  reply (the stall of widget cells, see :mod:`cxlib.kernels`);
- a kernel already started can be passed as ``km`` (the runner passes one started ahead);
  the engine then connects to it and leaves it running, and the caller shuts it down;
- while cells run, the output notebook is written at most every :data:`SAVE_EVERY_S`
  seconds, and always when execution ends, however it ends. papermill writes it when each
  cell starts and when it ends, which for a step notebook of 50 cells is 100 writes of about
  20 ms each;
- no cell runs without a limit: without ``--execution-timeout`` a cell may run
  :data:`~cxlib.kernels.CELL_TIMEOUT_S` seconds, and a cell past its limit fails the run
  instead of blocking it.

Use it from the command line with ``papermill --engine cxwb …`` or from Python with
``papermill.execute_notebook(…, engine_name="cxwb")``. It is registered as a papermill entry
point, and again when this module is imported. Import papermill before this module (as
:mod:`cxlib.runner` does): importing papermill loads its entry points, this module among them.
"""

from __future__ import annotations

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.log import logger

from .kernels import CELL_TIMEOUT_S, StepKernelManager

#: The engine's name for papermill (``--engine``, ``engine_name``).
ENGINE = "cxwb"
#: Shortest time between two writes of the output notebook while cells run (seconds).
SAVE_EVERY_S = 2.0


class StepExecutionManager(NotebookExecutionManager):
    """papermill's execution manager, writing the output notebook at most every
    :data:`SAVE_EVERY_S` seconds until :meth:`notebook_complete` writes it for good.
    """

    final = False

    def save(self, **kwargs):
        """Write the output notebook, unless it was written less than :data:`SAVE_EVERY_S` ago."""
        if self.final or (self.now() - self.last_save_time).total_seconds() >= SAVE_EVERY_S:
            super().save(**kwargs)

    def notebook_complete(self, **kwargs):
        """Finish the notebook's metadata and write it (whatever the last write's time)."""
        self.final = True
        super().notebook_complete(**kwargs)


class StepEngine(NBClientEngine):
    """papermill engine: nbclient on :class:`~cxlib.kernels.StepKernelManager` kernels, or on ``km``."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                         autosave_cell_every=30, **kwargs):
        """Execute ``nb`` (papermill's engine interface) under a :class:`StepExecutionManager`."""
        nb_man = StepExecutionManager(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                      autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        """Execute ``nb_man``'s notebook; each cell may run ``execution_timeout`` seconds
        (``None``: :data:`~cxlib.kernels.CELL_TIMEOUT_S`).
        """
        kwargs.pop("input_path", None)
        kwargs.setdefault("kernel_manager_class", StepKernelManager)
        # nbclient's name for it is allowed too, as in papermill's engine; neither given: the workbook's limit
        timeout = execution_timeout or kwargs.pop("timeout", None) or CELL_TIMEOUT_S
        startup_timeout = kwargs.pop("startup_timeout", start_timeout)
        client = PapermillNotebookClient(nb_man, timeout=timeout, startup_timeout=startup_timeout,
                                         kernel_name=kernel_name, log=logger, log_output=log_output,
                                         stdout_file=stdout_file, stderr_file=stderr_file, **kwargs)
        try:
            return client.execute()
        finally:
            if not client.owns_km and client.kc is not None:  # the caller's kernel lives on; this connection ends
                client.kc.stop_channels()


papermill_engines.register(ENGINE, StepEngine)
