"""Text helpers shared by the route outputs: clock times, names, item lists, labels."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from logistics.routing import ItemLoad

#: Column and label texts, ``key -> (Chinese, English)``.
LABELS: dict[str, tuple[str, str]] = {
    "vehicle": ("车辆", "vehicle"),
    "vehicle_type": ("车型", "vehicle type"),
    "depot": ("出发库", "depot"),
    "trip": ("车次", "trip"),
    "seq": ("站序", "stop"),
    "place": ("地点", "place"),
    "load_start": ("开始装货", "loading starts"),
    "departure": ("出发时间", "departure"),
    "arrival": ("预计到达时间", "ETA"),
    "wait_h": ("等待接收(小时)", "wait (h)"),
    "leave": ("卸货完毕离开", "leaves"),
    "return": ("返回时间", "back at depot"),
    "deadline": ("时限", "deadline"),
    "late": ("超时", "late"),
    "delay_h": ("超时(小时)", "delay (h)"),
    "weight_kg": ("重量(kg)", "weight (kg)"),
    "volume_m3": ("体积(m³)", "volume (m³)"),
    "items": ("物资", "items"),
    "distance_km": ("里程(km)", "distance (km)"),
    "trips": ("趟数", "trips"),
    "reason": ("原因", "reason"),
    "quantity": ("数量", "quantity"),
    "item": ("物资", "item"),
    "point": ("需求点", "demand point"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "schedule": ("时刻表", "schedule"),
    "trucks": ("车辆汇总", "trucks"),
    "unmet": ("未能配送", "unmet"),
    "late_sheet": ("超时站点", "late stops"),
}

#: Reasons for unmet lines in Chinese.
UNMET_REASONS_ZH: dict[str, str] = {
    "no_vehicle": "该库无可用车辆",
    "unit_too_large": "单件物资超过所有车辆载重或容积",
    "unreachable": "库与需求点之间无可通行道路",
    "fleet_capacity": "车辆趟数限制，无剩余运力",
}


def label(key: str, lang: str) -> str:
    """Return the label ``key`` in ``lang`` (``"zh"`` or ``"en"``)."""
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def clock(seconds: float | None, t0: datetime | None = None) -> str:
    """Format a time from t0: ``"2026-11-23 08:30"`` when ``t0`` is given, else ``"T+02:30"``.

    Parameters
    ----------
    seconds
        Seconds from t0 (``None`` gives an empty string).
    t0
        Start of the scenario, if known.

    Returns
    -------
    str
        The formatted time.

    Examples
    --------
    >>> clock(9000)
    'T+02:30'
    >>> clock(9000, datetime(2026, 11, 23, 8, 0))
    '2026-11-23 10:30'
    """
    if seconds is None:
        return ""
    if t0 is not None:
        return (t0 + timedelta(seconds=round(seconds))).strftime("%Y-%m-%d %H:%M")
    minutes = round(seconds / 60.0)
    return f"T+{minutes // 60:02d}:{minutes % 60:02d}"


def name_of(place_id: str, names: Mapping[str, str] | None) -> str:
    """Return the display name of ``place_id`` (the id itself when unknown)."""
    return str(names.get(place_id, place_id)) if names else str(place_id)


def items_text(loads: Iterable[ItemLoad], item_names: Mapping[str, str] | None, lang: str = "zh") -> str:
    """Return ``"帐篷 30; 矿泉水 200"``-style text of the loads."""
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{name_of(x.item_id, item_names)} {_num(x.quantity)}" for x in loads)


def _num(x: float) -> str:
    return str(round(x)) if abs(x - round(x)) < 1e-9 else f"{x:.3f}".rstrip("0").rstrip(".")


def sheet_title(vehicle_id: str, used: set[str]) -> str:
    r"""Return a unique Excel sheet title (≤ 31 characters, no ``[]:*?/\\``)."""
    title = "".join("-" if c in "[]:*?/\\" else c for c in vehicle_id).replace("#", "-")[:31]
    base, k = title, 2
    while title in used:
        suffix = f"~{k}"
        title = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(title)
    return title
