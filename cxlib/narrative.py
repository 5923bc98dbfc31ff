"""The step notebooks' narrative in one language.

The source notebooks hold each narrative cell in every report language, tagged ``lang-sv``,
``lang-en`` and ``lang-nb``, so that a translator or a reviewer sees the languages side by
side in one diff. A reader sees one language: the HTML report drops the other languages'
cells (:func:`language_tags`), and :func:`in_language` makes the single-language copy of a
notebook that a workshop opens in JupyterLab (``cxwb notebooks --client``, ``make lab``).
"""

from __future__ import annotations

import re

import nbformat

from .i18n import LANGUAGES

#: Tag of the notebook's one parameters cell (papermill's convention).
PARAMETERS_TAG = "parameters"


def language_tags(lang: str) -> set[str]:
    """Cell tags of the narrative in languages other than ``lang`` (dropped for a reader of ``lang``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return {f"lang-{other}" for other in LANGUAGES if other != lang}


def in_language(nb: nbformat.NotebookNode, lang: str, /, **defaults: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the narrative in ``lang`` only, and ``lang`` as its report language.

    ``defaults`` replace the default values of further ``name: str = "…"`` parameters (e.g.
    ``client_dir``); every other cell is kept as it is.
    """
    dropped = language_tags(lang)
    defaults = {"lang": lang, **defaults}
    out = nbformat.from_dict(nb)
    out.cells = [cell for cell in out.cells if not dropped & set(cell.get("metadata", {}).get("tags", []))]
    for cell in out.cells:
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            for name, value in defaults.items():
                pattern = rf'^({re.escape(name)}: str = )"[^"\n]*"'
                if not re.search(pattern, cell.source, flags=re.M):
                    raise ValueError(f"the parameters cell has no text parameter {name!r}")
                quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
                cell.source = re.sub(pattern, lambda m: m.group(1) + quoted, cell.source, count=1, flags=re.M)
    return out
