"""Snapshots of validated tables: each step of a run reads the typed tables instead of
parsing and validating the client's exports again.

A snapshot is one typed table as an Arrow IPC file in the workspace's ``.cache/tables/``:
beside the exports it was made from, never in a report folder, because it holds the exports'
personal data unscrubbed and a report folder is what gets mailed. Its name is a key over
everything the typed table depends on: the export's bytes, client.yaml's bytes (channels,
time zone, …), the source of the modules that read and type tables, and the pandas and
pyarrow versions. Any change to one of them gives another key, so a snapshot is never used
for other inputs or by other code. Only tables that validated without a problem are
written; a workspace that cannot be written to simply has none.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..files import replace_atomic, sha256

#: Where in a workspace the snapshots are kept.
SNAPSHOT_FOLDER = Path(".cache") / "tables"
#: The modules whose code decides how an export becomes a typed table.
TYPING_MODULES = ("io/read.py", "io/schema.py", "config.py", "io/yamlfile.py", "io/snapshots.py")


@lru_cache(maxsize=1)
def typing_code_digest() -> str:
    """SHA-256 over the source of :data:`TYPING_MODULES`."""
    h = hashlib.sha256()
    for name in TYPING_MODULES:
        h.update((Path(__file__).parents[1] / name).read_bytes())
    return h.hexdigest()


def snapshot_dir(workspace: Path) -> Path:
    """The snapshot folder of the workspace folder ``workspace``."""
    return workspace / SNAPSHOT_FOLDER


class TableSnapshots:
    """The snapshots in ``folder`` for a workspace whose client.yaml is ``config_file``."""

    def __init__(self, folder: Path, config_file: Path):
        self.folder = folder
        config = sha256(config_file) if config_file.is_file() else "-"
        self._base = f"{config}|{typing_code_digest()}|pandas {pd.__version__}|pyarrow {pa.__version__}"

    def _path(self, name: str, file: Path) -> Path:
        key = hashlib.sha256(f"{name}|{sha256(file)}|{self._base}".encode()).hexdigest()
        return self.folder / f"{name}-{key[:32]}.arrow"

    def read(self, name: str, file: Path) -> pd.DataFrame | None:
        """Typed table ``name`` of export ``file``, or ``None`` when there is no snapshot of it
        (or one that cannot be read).
        """
        path = self._path(name, file)
        if not path.is_file():
            return None
        try:
            with pa.memory_map(str(path)) as source:
                return pa.ipc.open_file(source).read_all().to_pandas()
        except (OSError, pa.ArrowException):  # damaged: the export is read again
            return None

    def write(self, name: str, file: Path, frame: pd.DataFrame) -> None:
        """Keep ``frame``, the typed table ``name`` of export ``file`` (a folder that cannot be
        written to keeps nothing: the next load validates the export again).
        """
        table = pa.Table.from_pandas(frame, preserve_index=True)

        def dump(tmp: Path) -> None:
            with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)

        with contextlib.suppress(OSError):
            replace_atomic(self._path(name, file), dump)
