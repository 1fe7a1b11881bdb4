"""Write a :class:`~logistics.map.view.MapView` as one self-contained HTML file.

Leaflet 1.9.4 (BSD-2-Clause, ``assets/LICENSE-leaflet.txt``) and the page's own script and
styles are inlined together with the data, so the file opens from a USB stick on a computer
without internet. A Content-Security-Policy forbids every network request unless a basemap tile
URL is given; Leaflet's marker and layer-switcher images are not used (vector circles, an
expanded switcher), so the page requests nothing at all.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from logistics.common import write_text_atomic
from logistics.exceptions import InputError, Problem, tr

if TYPE_CHECKING:
    from logistics.map.view import MapView

__all__ = ["map_html", "write_map_html"]

_TEXT = {
    "zh": {"legend": "图例", "search": "搜索地名、库点…", "print": "打印（A3 横向）", "trucks": "车辆位置（按时间滑块）",
           "hour": "灾后第 {h} 小时"},
    "en": {"legend": "Legend", "search": "Search a place or depot…", "print": "Print (A3 landscape)",
           "trucks": "Truck positions (time slider)", "hour": "hour {h} after onset"},
}  # fmt: skip


@cache
def _asset(name: str) -> str:
    text = resources.files("logistics.map").joinpath("assets", name).read_text(encoding="utf-8")
    if name == "leaflet.css":  # the images are not shipped: no request for them
        text = text.replace("url(images/layers.png)", "none").replace("url(images/layers-2x.png)", "none")
        text = text.replace("url(images/marker-icon.png)", "none")
    return text


def _tiles_origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{z}" not in url:
        raise InputError([Problem(
            tr("a tile URL template needs http(s)://host/…{z}/{x}/{y}…",
               "瓦片地址模板应为 http(s)://主机/…{z}/{x}/{y}… 的形式"),
            column="tiles", value=url[:80])])  # fmt: skip
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


def map_html(view: MapView) -> str:
    """Return the page of ``view`` as one HTML string (all assets and data inlined).

    Parameters
    ----------
    view
        The map.
    """
    img = "data:"
    if view.tiles:
        img += " " + _tiles_origin(view.tiles)
    csp = f"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src {img}"
    payload: dict[str, Any] = {
        "title": view.title,
        "subtitle": view.subtitle,
        "notes": view.notes,
        "hours": list(view.hours) if view.hours else None,
        "bounds": list(view.bounds()) if view.bounds() else None,
        "tiles": view.tiles,
        "tilesAttribution": view.tiles_attribution,
        "text": _TEXT[view.lang],
        "layers": [
            {
                "key": lay.key,
                "name": lay.name,
                "visible": lay.visible,
                "legend": [{"color": e.color, "label": e.label, "shape": e.shape} for e in lay.legend],
                "features": lay.features,
            }
            for lay in view.layers
        ],
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = data.replace("</", "<\\/")  # a name can never close the script element
    return Template(_asset("template.html")).substitute(
        lang="zh-CN" if view.lang == "zh" else "en",
        csp=csp,
        title=view.title.replace("&", "&amp;").replace("<", "&lt;"),
        leaflet_css=_asset("leaflet.css"),
        map_css=_asset("map.css"),
        data=data,
        leaflet_js=_asset("leaflet.js"),
        map_js=_asset("map.js"),
    )


def write_map_html(view: MapView, path: str | Path) -> Path:
    """Write ``view`` to ``path`` atomically and return the path.

    Parameters
    ----------
    view
        The map.
    path
        Destination ``.html`` file.
    """
    write_text_atomic(path, map_html(view))
    return Path(path)
