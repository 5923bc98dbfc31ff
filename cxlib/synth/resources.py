"""Package data of the generator: the sample ``client.yaml``, its validated configuration and
the word lists under ``cxlib/synth/data/``.

Every file is read on first use and cached, so importing this module reads nothing.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import yaml

from ..config import ClientConfig
from .sampling import readonly

CH = ("phone", "chat", "email", "webform", "app")
"""Contact channels of the sample client, in the order of every per-channel array."""
CH_FEEDBACK = (*CH, "web")
"""Feedback channels: the contact channels and the self-service website (feedback only)."""
DEVICES = ("mobile", "desktop", "tablet", "other")
"""Device labels of feedback and journeys, in the order of the device codes."""


@cache
def data_text(name: str) -> str:
    r"""The text of a data file shipped in ``cxlib/synth/data/``.

    Parameters
    ----------
    name : str
        File name, e.g. ``"client.yaml"``.

    Returns
    -------
    str
        The file's text, decoded as UTF-8 (line ends read as ``\n``).
    """
    return (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")


@cache
def data_yaml(name: str) -> dict:
    """A YAML data file of ``cxlib/synth/data/``, parsed (callers must not change the result).

    Parameters
    ----------
    name : str
        File name, e.g. ``"phrases.yaml"``.

    Returns
    -------
    dict
        The parsed document; mappings keep the order of the file.
    """
    return yaml.safe_load(data_text(name))


def client_yaml() -> str:
    """The sample client's ``client.yaml`` (Norrsken Energi AB), exactly as :func:`~cxlib.synth.generate` writes it.

    Returns
    -------
    str
        The commented YAML text.
    """
    return data_text("client.yaml")


@cache
def config() -> ClientConfig:
    """The sample client's configuration, validated.

    Returns
    -------
    ClientConfig
        :func:`client_yaml` as a model (cached: validated once per process).
    """
    return ClientConfig.model_validate(yaml.safe_load(client_yaml()))


@cache
def queue_mask() -> np.ndarray:
    """Which contact channels are queues, where customers wait in line and may hang up.

    Returns
    -------
    numpy.ndarray
        Read-only booleans, shape ``(len(CH),)``, in the order of :data:`CH`.
    """
    return readonly(np.array([config().channel(c).kind == "queue" for c in CH]))
