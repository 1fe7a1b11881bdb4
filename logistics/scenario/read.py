"""Read and validate scenario TOML files, one helper per section of the file.

Every problem is collected with the file and the field (``demand[3].persons``) and all of them are
raised together as one :class:`~logistics.exceptions.ScenarioError`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import in_china_bbox, normalise_crs, to_wgs84
from logistics.common.limits import MAX_DEMAND_POINTS, MAX_FILE_BYTES, MAX_HOURS
from logistics.exceptions import Problem, ScenarioError, say, tr
from logistics.region import demo_region, load_region
from logistics.scenario._fields import (
    check_wkt,
    field_type_problems,
    number,
    shape_problems,
    unknown_fields,
    vehicle_limits,
)
from logistics.scenario.demand_file import with_demand_file
from logistics.scenario.fleet import _scenario_fleet
from logistics.scenario.model import (
    HAZARD_TYPES,
    OBJECTIVES,
    DemandPoint,
    DisruptionSpec,
    Hazard,
    HubSpec,
    Scenario,
)

if TYPE_CHECKING:
    from logistics.region import Place, Region
    from logistics.stock import Catalogue, Inventory

__all__ = ["load_scenario"]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path
        The TOML file.

    Raises
    ------
    ScenarioError
        File missing, invalid TOML, or any invalid field (all listed with file and field).
    InventoryError, RegionError
        If the region's data are invalid.
    """
    p = Path(path)
    if not p.exists():
        raise ScenarioError([Problem(tr("scenario file not found", "未找到情景文件"), file=str(p))])
    if not p.is_file():
        raise ScenarioError([Problem(tr("is a directory, expected a scenario file (.toml)",
                                        "这是一个文件夹，应为情景文件（.toml）"), file=str(p))])  # fmt: skip
    if p.stat().st_size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // 2**20
        raise ScenarioError([Problem(tr(f"larger than {mb} MB (docs/limits.md)",
                                        f"文件大于 {mb} MB（见 docs/limits.md）"), file=str(p))])  # fmt: skip
    text = _utf8_text(p)
    if text.count("[[demand]]") > MAX_DEMAND_POINTS:  # refuse before parsing a huge file
        raise ScenarioError([Problem(tr(f"more than {MAX_DEMAND_POINTS} demand points (docs/limits.md)",
                                        f"需求点超过 {MAX_DEMAND_POINTS} 个（见 docs/limits.md）"), file=str(p),
                                     column="demand")])  # fmt: skip
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(
            [Problem(tr(f"invalid TOML: {exc}", f"TOML 格式有误：{exc}"), file=str(p))]
        ) from None
    return scenario_from_dict(data, origin=str(p), base=p.parent)


def _utf8_text(p: Path) -> str:
    """Return the file's text: UTF-8 with or without a BOM (Notepad writes one); refuse anything else."""
    raw = p.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = tr("", "")
        try:
            raw.decode("gb18030")
            hint = tr("; it looks like GBK/GB18030: save it as UTF-8 (记事本“另存为”选择 UTF-8)",
                      "；文件似乎是 GBK/GB18030 编码：请另存为 UTF-8（记事本“另存为”选择 UTF-8）")  # fmt: skip
        except UnicodeDecodeError:
            pass
        raise ScenarioError([Problem(tr(f"not UTF-8 text (byte {exc.start}){hint}",
                                        f"不是 UTF-8 文本（字节位置 {exc.start}）{say(hint)}"), file=str(p))]) from None  # fmt: skip


def scenario_from_dict(data: dict[str, Any], *, origin: str = "", base: Path | None = None) -> Scenario:
    """Build and validate a scenario from its parsed TOML structure.

    Parameters
    ----------
    data
        Parsed scenario.
    origin
        File name used in messages.
    base
        Folder relative paths are resolved against.

    Raises
    ------
    ScenarioError
        Every problem, each naming the file and the field.
    """
    base = base or Path.cwd()
    data = with_demand_file(data, base, origin)  # rows of a CSV/Excel file become [[demand]] tables
    shape = shape_problems(data, origin) or field_type_problems(data, origin)
    if shape:
        raise ScenarioError(shape)
    problems: list[Problem] = []
    unknown_fields(data, origin, problems)
    region = load_region(base / data["region"]) if "region" in data else demo_region()
    inv = region.inventory()
    catalogue = region.catalogue
    hazard = _hazard(data.get("hazard", {}), origin, problems)
    resp = data.get("response", {})
    deadline = number(resp, "deadline_h", "response.", problems, origin, default=12.0, positive=True)
    days = number(resp, "days", "response.", problems, origin, default=3.0, positive=True)
    n_before = len(problems)
    items = _items(resp, catalogue, origin, problems)
    listed = set(items or region.basic_kit) if len(problems) == n_before else None
    subs = _substitutes(resp, catalogue, listed, origin, problems)
    objective = _objective(resp, origin, problems)
    demand = _demand(data.get("demand", []), region, origin, problems)
    disruptions = _disruptions(data.get("disruption", []), base, origin, problems)
    known = {d.id for d in inv.depots}
    depot_ids = _depots(data.get("depots", {}), known, origin, problems)
    aid = _mutual_aid(data.get("mutual_aid", []), region, origin, problems)
    fleet = _scenario_fleet(data.get("fleet", {}), region, known, base, origin, problems)
    hd = data.get("handling", {})
    load_h = number(hd, "load_h", "handling.", problems, origin, default=1.0, nonneg=True)
    unload_h = number(hd, "unload_h", "handling.", problems, origin, default=0.5, nonneg=True)
    unload_per_t = number(hd, "unload_h_per_t", "handling.", problems, origin, default=0.0, nonneg=True)
    hours = _depot_hours(data.get("depots", {}), set(depot_ids), origin, problems)
    hubs = _hubs(data.get("hub", []), inv, origin, problems)
    for k, p in enumerate(demand):
        if p.receive_from_h is not None and p.deadline_h is None and p.receive_from_h >= deadline:
            problems.append(Problem(tr(f"must be before response.deadline_h ({deadline:g})",
                                       f"必须早于 response.deadline_h（{deadline:g}）"), file=origin,
                                    column=f"demand[{k}].receive_from_h", value=f"{p.receive_from_h:g}"))  # fmt: skip
    max_trips, max_duration_h = vehicle_limits(hd, "handling.", origin, problems)
    seed = _seed(data, origin, problems)
    roads = _roads(data, base, origin, problems)
    if problems:
        raise ScenarioError(problems)
    return Scenario(
        name=str(data.get("name", Path(origin).stem)),
        region=region,
        hazard=hazard,
        demand=tuple(demand),
        days=float(days),
        deadline_h=float(deadline),
        items=tuple(items),
        substitutes=tuple(subs),
        disruptions=tuple(disruptions),
        depot_ids=tuple(depot_ids),
        mutual_aid=tuple(aid),
        fleet=tuple(fleet),
        load_h=float(load_h),
        unload_h=float(unload_h),
        seed=int(seed),
        objective=str(objective),
        roads=roads,
        path=Path(origin) if origin else None,
        illustrative=str(data.get("illustrative", "")),
        max_trips=max_trips,
        max_duration_h=max_duration_h,
        unload_h_per_t=float(unload_per_t),
        depot_hours=tuple(hours),
        hubs=tuple(hubs),
        extra={"sweep": data["sweep"]} if isinstance(data.get("sweep"), dict) else {},
    )


def _hazard(hz: dict[str, Any], origin: str, problems: list[Problem]) -> Hazard:
    """Read the ``[hazard]`` table."""
    htype = hz.get("type", "other")
    if not isinstance(htype, str) or htype not in HAZARD_TYPES:
        types = ", ".join(HAZARD_TYPES)
        problems.append(Problem(tr(f"unknown hazard type (expected one of {types})", f"未知灾种（应为 {types} 之一）"),
                                file=origin, column="hazard.type", value=str(htype)))  # fmt: skip
    epi = hz.get("epicentre")
    if epi is not None and not (
        isinstance(epi, list)
        and len(epi) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in epi)
        and -180 <= epi[0] <= 180
        and -90 <= epi[1] <= 90
    ):
        problems.append(Problem(tr("epicentre must be [lon, lat]", "震中必须为 [经度, 纬度]"), file=origin,
                                column="hazard.epicentre", value=str(epi)))  # fmt: skip
        epi = None
    area = hz.get("area")
    if area is not None:
        check_wkt(area, "hazard.area", origin, problems)
    htime = hz.get("time")
    if isinstance(htime, str):
        try:
            htime = dt.datetime.fromisoformat(htime)
        except ValueError:
            problems.append(Problem(tr("not an ISO date-time", "不是 ISO 格式的日期时间"), file=origin,
                                    column="hazard.time", value=htime))  # fmt: skip
            htime = None
    return Hazard(htype, htime if isinstance(htime, dt.datetime) else None, tuple(epi) if epi else None, area,
                  hz.get("magnitude"), str(hz.get("description", "")))  # fmt: skip


def _items(resp: dict[str, Any], catalogue: Catalogue, origin: str, problems: list[Problem]) -> list[str]:
    """``response.items``: catalogue ids of the listed items."""
    items: list[str] = []
    raw = resp.get("items", [])
    if "items" in resp and (not isinstance(raw, list) or not raw):
        problems.append(Problem(tr("must be a non-empty list of items (leave it out for the region's basic kit)",
                                   "必须为非空的物资列表（使用本地区基本物资包时请删去此项）"),
                                file=origin, column="response.items", value=repr(raw)[:60]))  # fmt: skip
        return items
    for k, name in enumerate(raw):
        item = catalogue.find(str(name))
        if item is None:
            problems.append(Problem(tr("unknown item", "未知物资"), file=origin, column=f"response.items[{k}]",
                                    value=str(name)))  # fmt: skip
        else:
            items.append(item.id)
    return items


def _substitutes(
    resp: dict[str, Any], catalogue: Catalogue, listed: set[str] | None, origin: str, problems: list[Problem]
) -> list[tuple[str, str]]:
    """``response.substitutes``: ``(item, substitute)`` pairs the catalogue allows.

    The item must be one of the scenario's items (``listed``; not checked when ``None``); a
    substitute outside them joins the scenario's items (:attr:`Scenario.item_ids`).
    """
    subs: list[tuple[str, str]] = []
    for k, pair in enumerate(resp.get("substitutes", [])):
        where = f"response.substitutes[{k}]"
        if not (isinstance(pair, list) and len(pair) == 2):
            problems.append(Problem(tr("expected [item, substitute]", "应为 [物资, 替代物资]"), file=origin,
                                    column=where, value=str(pair)))  # fmt: skip
            continue
        found = [catalogue.find(str(x)) for x in pair]
        for i, (name, item) in enumerate(zip(pair, found, strict=True)):
            if item is None:
                problems.append(Problem(tr("unknown item (not in the catalogue)", "未知物资（不在物资目录中）"),
                                        file=origin, column=f"{where}[{i}]", value=str(name)))  # fmt: skip
        a, b = found
        if a is None or b is None:
            continue
        if b.id not in a.substitutes:
            problems.append(Problem(tr(f"{b.name_zh} is not listed as a substitute of {a.name_zh} in the catalogue",
                                       f"物资目录中 {b.name_zh} 未列为 {a.name_zh} 的替代物资"),
                                    file=origin, column=where, value=str(pair)))  # fmt: skip
            continue
        if listed is not None and a.id not in listed:
            problems.append(Problem(tr(f"{a.name_zh} is not one of the scenario's items (response.items, else the "
                                       "region's basic kit): the substitution would never be used",
                                       f"{a.name_zh} 不在本情景的物资中（response.items，未填写时为本地区基本物资包）："
                                       "该替代不会被使用"),
                                    file=origin, column=f"{where}[0]", value=str(pair[0])))  # fmt: skip
            continue
        subs.append((a.id, b.id))
    return subs


def _objective(resp: dict[str, Any], origin: str, problems: list[Problem]) -> str:
    """``response.objective``, ``lexicographic`` if unknown."""
    objective = resp.get("objective", "lexicographic")
    if objective not in OBJECTIVES:
        known = ", ".join(OBJECTIVES)
        problems.append(Problem(tr(f"unknown objective (expected one of {known})", f"未知优化目标（应为 {known} 之一）"),
                                file=origin, column="response.objective", value=str(objective)))  # fmt: skip
        objective = "lexicographic"
    return objective


def _demand(raw: list[Any], region: Region, origin: str, problems: list[Problem]) -> list[DemandPoint]:
    """Read the ``[[demand]]`` points."""
    places = {p.id: p for p in region.places()}
    places_by_name = {p.name: p for p in region.places()}
    demand: list[DemandPoint] = []
    seen: set[str] = set()
    if not raw:
        problems.append(Problem(tr("no demand points", "没有需求点"), file=origin, column="demand"))
    for k, d in enumerate(raw):
        point = _demand_point(k, d, (places, places_by_name), seen, origin, problems)
        if point is not None:
            demand.append(point)
    return demand


def _demand_point(
    k: int,
    d: dict[str, Any],
    places: tuple[dict[str, Place], dict[str, Place]],
    seen: set[str],
    origin: str,
    problems: list[Problem],
) -> DemandPoint | None:
    """Demand point ``k`` (None if unusable); its id is added to ``seen``."""
    located = _demand_location(k, d, places, origin, problems)
    if located is None:
        return None
    place, lon, lat = located
    where = f"demand[{k}]."
    reloc = number(d, "relocated", where, problems, origin, default=0, nonneg=True)
    relief = number(d, "need_relief", where, problems, origin, default=0, nonneg=True)
    persons = number(d, "persons", where, problems, origin, default=None, nonneg=True)
    if persons is not None and "relocated" not in d:
        reloc = persons
    prio = number(d, "priority", where, problems, origin, default=1.0, positive=True)
    pdl = number(d, "deadline_h", where, problems, origin, default=None, positive=True)
    opens = number(d, "receive_from_h", where, problems, origin, default=None, nonneg=True)
    unload = number(d, "unload_h", where, problems, origin, default=None, nonneg=True)
    per_t = number(d, "unload_h_per_t", where, problems, origin, default=None, nonneg=True)
    if opens is not None and pdl is not None and opens >= pdl:
        problems.append(Problem(tr(f"must be before the point's deadline_h ({pdl:g})",
                                   f"必须早于该需求点的 deadline_h（{pdl:g}）"), file=origin,
                                column=f"{where}receive_from_h", value=str(opens)))  # fmt: skip
    pid = str(d.get("id", place.id if place else f"D{k + 1:02d}"))
    if pid.casefold() in seen:  # ids differing only in letter case are one point typed twice, or a typo
        problems.append(Problem(tr("duplicate demand point id (letter case ignored)", "需求点编号重复（不区分大小写）"),
                                file=origin, column=f"{where}id", value=pid))  # fmt: skip
        return None
    seen.add(pid.casefold())
    for key, v in (("relocated", reloc), ("need_relief", relief)):
        if isinstance(v, float) and not v.is_integer():
            problems.append(Problem(tr("persons must be whole", "人数必须为整数"), file=origin, column=f"{where}{key}",
                                    value=str(v)))  # fmt: skip
    return DemandPoint(pid, str(d.get("name", place.name if place else pid)), float(lon), float(lat),
                       int(reloc or 0), int(relief or 0), float(prio), pdl, str(d.get("county", place.county if place else "")),
                       _opt(opens), _opt(unload), _opt(per_t))  # fmt: skip


def _opt(x: Any) -> float | None:
    return None if x is None else float(x)


def _demand_location(
    k: int,
    d: dict[str, Any],
    places: tuple[dict[str, Place], dict[str, Place]],
    origin: str,
    problems: list[Problem],
) -> tuple[Place | None, Any, Any] | None:
    """Place (if named) and WGS-84 lon, lat of demand point ``k`` (None if unusable)."""
    where = f"demand[{k}]."
    place = None
    if "place" in d:
        by_id, by_name = places
        place = by_id.get(str(d["place"])) or by_name.get(str(d["place"]))
        if place is None:
            problems.append(Problem(tr("unknown place of the region", "未知地点（本地区没有该地点）"), file=origin,
                                    column=f"{where}place", value=str(d["place"])))  # fmt: skip
            return None
    lon = d.get("lon", place.lon if place else None)
    lat = d.get("lat", place.lat if place else None)
    if lon is None or lat is None:
        problems.append(Problem(tr("needs place, or lon and lat", "需填写 place，或同时填写 lon 和 lat"), file=origin,
                                column=f"demand[{k}]"))  # fmt: skip
        return None

    if not (isinstance(lon, int | float) and isinstance(lat, int | float)) or not in_china_bbox(lon, lat):
        problems.append(Problem(tr("coordinates outside China", "坐标不在中国境内"), file=origin, column=f"{where}lon",
                                value=f"{lon}, {lat}"))  # fmt: skip
        return None
    if "crs" in d:  # coordinates copied from a Chinese web map (GCJ-02 / BD-09) are converted
        crs = normalise_crs(str(d["crs"]))
        if crs is None:
            problems.append(Problem(tr("unknown coordinate system (WGS84, GCJ02, BD09)",
                                       "未知坐标系（可用 WGS84、GCJ02、BD09）"),
                                    file=origin, column=f"{where}crs", value=str(d["crs"])))  # fmt: skip
            return None
        lon, lat = to_wgs84(float(lon), float(lat), crs)
    return place, lon, lat


def _disruptions(raw: list[Any], base: Path, origin: str, problems: list[Problem]) -> list[DisruptionSpec]:
    """Read the ``[[disruption]]`` entries."""
    disruptions: list[DisruptionSpec] = []
    for k, d in enumerate(raw):
        spec = _disruption(k, d, base, origin, problems)
        if spec is not None:
            disruptions.append(spec)
    return disruptions


def _disruption(
    k: int, d: dict[str, Any], base: Path, origin: str, problems: list[Problem]
) -> DisruptionSpec | None:
    """Disruption ``k`` (None if unusable)."""
    where = f"disruption[{k}]."
    kind = d.get("type", "close")
    if kind not in ("close", "slow"):
        problems.append(Problem(tr("type must be close or slow", "type 必须为 close 或 slow"), file=origin,
                                column=f"{where}type", value=str(kind)))  # fmt: skip
        return None
    wkt = d.get("polygon")
    if wkt is not None and not check_wkt(wkt, f"{where}polygon", origin, problems):
        return None
    pfile = base / d["file"] if "file" in d else None
    if pfile is not None and not pfile.exists():
        problems.append(Problem(tr("polygon file not found", "未找到面文件"), file=origin, column=f"{where}file",
                                value=str(pfile)))  # fmt: skip
        return None
    names = d.get("road", d.get("roads", []))
    names = [names] if isinstance(names, str) else list(names)
    ways = d.get("way_ids", [])
    if not (wkt or pfile or names or ways):
        problems.append(Problem(tr("needs polygon, file, road or way_ids", "需填写 polygon、file、road 或 way_ids"),
                                file=origin, column=f"disruption[{k}]"))  # fmt: skip
        return None
    reopen = number(d, "reopen_h", where, problems, origin, default=None, nonneg=True)
    factor = number(d, "factor", where, problems, origin, default=None, positive=True)
    hours = _slow_hours(d, kind, where, origin, problems)
    if kind == "slow" and (factor is None or factor >= 1 or (wkt is None and pfile is None)):
        problems.append(Problem(tr("a slowdown needs a polygon and 0 < factor < 1", "限速需要面范围，且 0 < factor < 1"),
                                file=origin, column=f"{where}factor", value=str(factor)))  # fmt: skip
        return None
    if hours is None:
        return None
    return DisruptionSpec(kind, tuple(int(w) for w in ways), tuple(str(n) for n in names), wkt, pfile,
                          reopen, factor, str(d.get("note", "")), start_h=hours[0], end_h=hours[1])  # fmt: skip


def _slow_hours(
    d: dict[str, Any], kind: str, where: str, origin: str, problems: list[Problem]
) -> tuple[float, float | None] | None:
    """``(start_h, end_h)`` of a disruption (``(0, None)`` by default); None if they are bad."""
    if kind != "slow":
        for key in sorted({"start_h", "end_h"} & set(d)):
            problems.append(Problem(tr('start_h and end_h apply only to type = "slow" (a closure starts at hour 0; '
                                       "use reopen_h for its end)",
                                       'start_h 和 end_h 仅适用于 type = "slow"（封闭从第 0 小时开始；结束时间请用 reopen_h）'),
                                    file=origin, column=f"{where}{key}", value=str(d[key])))  # fmt: skip
        return None if {"start_h", "end_h"} & set(d) else (0.0, None)
    n_before = len(problems)
    start = number(d, "start_h", where, problems, origin, default=0.0, nonneg=True)
    end = number(d, "end_h", where, problems, origin, default=None, positive=True)
    if len(problems) > n_before:
        return None
    if end is not None and not (end > start):
        problems.append(Problem(tr(f"must be > start_h ({start:g})", f"必须大于 start_h（{start:g}）"), file=origin,
                                column=f"{where}end_h", value=str(end)))  # fmt: skip
        return None
    return float(start), (None if end is None else float(end))


def _depots(dep: dict[str, Any], known: set[str], origin: str, problems: list[Problem]) -> list[str]:
    """Read the ``[depots]`` table: the depots in play, of the ``known`` depots of the region."""
    use = dep.get("use", "all")
    if use != "all" and not (isinstance(use, list) and use and all(isinstance(x, str) for x in use)):
        problems.append(Problem(tr('must be "all" or a non-empty list of depot ids', '必须为 "all" 或非空的储备库编号列表'),
                                file=origin, column="depots.use", value=repr(use)[:60]))  # fmt: skip
        return []
    depot_ids = sorted(known) if use == "all" else [str(x) for x in use]
    for k, did in enumerate(depot_ids):
        if did not in known:
            problems.append(
                Problem(tr("unknown depot", "未知储备库"), file=origin, column=f"depots.use[{k}]", value=did)
            )
    excl = [str(x) for x in dep.get("exclude", [])]
    for k, did in enumerate(excl):
        if did not in known:
            problems.append(Problem(tr("unknown depot", "未知储备库"), file=origin, column=f"depots.exclude[{k}]",
                                    value=did))  # fmt: skip
    return [d for d in depot_ids if d in known and d not in excl]


def _depot_hours(
    dep: dict[str, Any], in_play: set[str], origin: str, problems: list[Problem]
) -> list[tuple[str, float, float]]:
    """Read ``[depots.hours]``: ``DEPOT = [open_h, close_h]`` (hours after onset)."""
    raw = dep.get("hours", {}) if isinstance(dep, dict) else {}
    if not isinstance(raw, dict):
        problems.append(Problem(tr("must be a table DEPOT = [open_h, close_h]", "必须为表 DEPOT = [open_h, close_h]"),
                                file=origin, column="depots.hours", value=repr(raw)))  # fmt: skip
        return []
    out = []
    for did, span in raw.items():
        where = f"depots.hours.{did}"
        ok = (isinstance(span, list) and len(span) == 2
              and all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x >= 0
                      for x in span))  # fmt: skip
        if not ok or span[0] >= span[1]:
            problems.append(Problem(tr("must be [open_h, close_h] with 0 <= open_h < close_h",
                                       "必须为 [open_h, close_h]，且 0 <= open_h < close_h"), file=origin,
                                    column=where, value=repr(span)))  # fmt: skip
            continue
        if did not in in_play:
            problems.append(Problem(tr("not a depot in play", "不是本情景启用的储备库"), file=origin, column=where,
                                    value=str(did)))  # fmt: skip
            continue
        out.append((str(did), float(span[0]), float(span[1])))
    return out


def _mutual_aid(
    raw: list[Any], region: Region, origin: str, problems: list[Problem]
) -> list[tuple[str, float]]:
    """Read the ``[[mutual_aid]]`` partners in play: ``(name, activation_delay_h)``."""
    partners = {p.name: p for p in region.mutual_aid}
    aid: list[tuple[str, float]] = []
    for k, m in enumerate(raw):
        name = str(m.get("name", ""))
        if name not in partners:
            problems.append(Problem(tr("unknown mutual-aid partner of the region", "未知支援单位（本地区没有该对口支援单位）"),
                                    file=origin, column=f"mutual_aid[{k}].name", value=name))  # fmt: skip
            continue
        delay = number(m, "activation_delay_h", f"mutual_aid[{k}].", problems, origin,
                       default=partners[name].activation_delay_h, nonneg=True)  # fmt: skip
        aid.append((name, float(delay)))
    return aid


def _hubs(raw: list[Any], inv: Inventory, origin: str, problems: list[Problem]) -> list[HubSpec]:
    """Read the ``[[hub]]`` transfer hubs: a depot (id or name) with its waves, handling time and throughput."""
    by_name = {d.name: d.id for d in inv.depots} | {d.id: d.id for d in inv.depots}
    out: list[HubSpec] = []
    for k, h in enumerate(raw):
        where = f"hub[{k}]."
        did = by_name.get(str(h.get("depot", "")))
        if did is None:
            problems.append(Problem(tr("unknown depot", "未知储备库"), file=origin, column=f"{where}depot",
                                    value=str(h.get("depot", ""))))  # fmt: skip
        elif any(x.depot_id == did for x in out):
            problems.append(Problem(tr("a depot is one hub at most", "一个储备库至多为一个中转站"), file=origin,
                                    column=f"{where}depot", value=str(h.get("depot"))))  # fmt: skip
        cut = h.get("cutoffs_h", [4.0])
        cut = cut if isinstance(cut, list) else [cut]
        ok = bool(cut) and all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
                               and 0 < c <= MAX_HOURS for c in cut)  # fmt: skip
        if not ok or any(b <= a for a, b in itertools.pairwise(cut)):
            problems.append(Problem(tr("must be increasing hours after onset, > 0", "必须为递增的小时数（大于 0）"),
                                    file=origin, column=f"{where}cutoffs_h", value=repr(h.get("cutoffs_h"))))  # fmt: skip
            continue
        handling = number(h, "handling_h", where, problems, origin, default=1.0, nonneg=True)
        thr = number(h, "throughput_t_h", where, problems, origin, default=None, positive=True)
        if did is not None:
            out.append(
                HubSpec(
                    did, tuple(float(c) for c in cut), float(handling), None if thr is None else float(thr)
                )
            )
    return out


def _seed(data: dict[str, Any], origin: str, problems: list[Problem]) -> int:
    """Read the solvers' random ``seed`` (0 if bad)."""
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.append(Problem(tr("seed must be a whole number >= 0", "seed 必须为不小于 0 的整数"), file=origin,
                                column="seed", value=str(seed)))  # fmt: skip
        seed = 0
    return seed


def _roads(data: dict[str, Any], base: Path, origin: str, problems: list[Problem]) -> Path | None:
    """Read the road network file ``roads``, if given."""
    roads = base / data["roads"] if "roads" in data else None
    if roads is not None and not roads.exists():
        problems.append(Problem(tr("road network file not found", "未找到路网文件"), file=origin, column="roads",
                                value=str(roads)))  # fmt: skip
    return roads
