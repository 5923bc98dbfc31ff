"""Small builders shared by the io/schema/workspace tests."""

from __future__ import annotations

from pathlib import Path

from cxlib.config import ClientConfig
from cxlib.io.read import RawTable, read_raw

CONFIG_YAML = """name: Test client
channels:
  - {id: phone, name: Phone, kind: queue}
  - {id: chat, name: Chat, kind: async}
departments:
  - {id: cs, name: Customer service}
"""
CONFIG = ClientConfig.model_validate(
    {
        "name": "Test client",
        "channels": [
            {"id": "phone", "name": "Phone", "kind": "queue"},
            {"id": "chat", "name": "Chat", "kind": "async"},
        ],
        "departments": [{"id": "cs", "name": "Customer service"}],
    }
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``content`` (text in ``encoding``, or bytes) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def raw(tmp_path: Path, content: str | bytes, name: str = "feedback.csv", encoding: str = "utf-8") -> RawTable:
    """Write a table file and read it back raw."""
    return read_raw(write(tmp_path / name, content, encoding))


def workspace(root: Path, files: dict[str, str | bytes], config: str | None = CONFIG_YAML) -> Path:
    """A workspace folder with ``client.yaml`` (unless ``config`` is None) and ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        write(root / "client.yaml", config)
    for name, content in files.items():
        write(root / name, content)
    return root
