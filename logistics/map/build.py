"""``logistics map``: pick the view (a region's stock or a run), write the HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from logistics.map.html import write_map_html
from logistics.map.region_view import region_view
from logistics.map.run_view import run_view
from logistics.map.sweep_view import critical_layer, is_sweep_output, sweep_view
from logistics.region import demo_region, load_region

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["build_map"]


def build_map(
    out: str | Path,
    *,
    run_dir: str | Path | None = None,
    region: str | Path | None = None,
    admin: str | Path | None = None,
    on: dt.date | None = None,
    level: str | None = None,
    deadline_h: float = 12.0,
    time_check: bool = True,
    tiles: str | None = None,
    tiles_attribution: str = "",
    critical: str | Path | None = None,
    lang: str = "zh",
) -> tuple[Path, dict[str, int]]:
    """Write the one-map HTML page of a run (``run_dir``) or of a region's stock.

    Parameters
    ----------
    out
        The ``.html`` file to write (atomically).
    run_dir
        Output folder of ``logistics run`` (or of ``logistics sweep`` / ``critical-roads``);
        ``None`` maps the region's stock.
    region
        ``region.toml`` or its folder; the embedded demo region when ``None``. With ``run_dir``
        it is only checked against the run (and then must be given explicitly).
    admin
        County boundaries for the stock view (:func:`~logistics.map.region_view.county_areas`).
    on, level, deadline_h, time_check
        Date, target level, deadline and time check of the stock view.
    tiles, tiles_attribution
        Optional basemap tile URL template and its attribution (no basemap by default).
    critical
        A ``logistics critical-roads`` folder whose ranked sections overlay the view.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    tuple of (Path, dict of str to int)
        The file written and the number of features per layer.
    """
    if run_dir is not None and is_sweep_output(Path(run_dir)):
        view = sweep_view(run_dir, lang=lang)
    elif run_dir is not None:
        reg = load_region(region) if region is not None else None
        view = run_view(run_dir, region=reg, lang=lang)
    else:
        reg = load_region(region) if region is not None else demo_region()
        view = region_view(reg, on=on, level=level, deadline_h=deadline_h, time_check=time_check, admin=admin,
                           lang=lang)  # fmt: skip
    if critical is not None:
        view.layers.append(critical_layer(critical, lang == "zh"))
    view.tiles, view.tiles_attribution = tiles, tiles_attribution
    return write_map_html(view, out), view.counts()
