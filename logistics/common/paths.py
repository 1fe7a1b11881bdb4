"""Locate the data shipped with the package (the embedded demo region)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def data_root() -> Path:
    """Return the folder holding ``depots/``, ``roads/`` (the repository's ``data/``).

    In a source checkout or editable install this is ``<repo>/data``; in a wheel the
    same folders are shipped as ``logistics/_demo``.
    """
    src = _SOURCE_ROOT / "data"
    if (src / "depots").is_dir():
        return src
    return Path(str(files("logistics") / "_demo"))


def demo_region_path() -> Path:
    """Return the region file of the embedded demo region (秦皇岛市)."""
    return data_root() / "depots" / "qinhuangdao" / "region.toml"
