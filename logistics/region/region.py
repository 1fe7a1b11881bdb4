"""A region: its inventory files, places (demand points), household size and norm overrides.

A region is described by a ``region.toml`` file next to its data files::

    name = "秦皇岛市"
    name_en = "Qinhuangdao"
    adcode = "130300"
    illustrative = "示意数据：…"          # shown in every output that uses the region

    [inventory]
    files = ["depots.csv", "inventory.csv"]

    [places]
    file = "places.csv"                  # townships / shelters with population

    [household_size]
    value = 2.6
    source = "…"
    confidence = "inferred"

    basic_kit = ["tent_12m2_single", …]  # optional; what 基本生活物资 expands to

    [norms.tent_12m2_single]             # optional overrides of catalogue facts
    norm = { basis = "per_n_persons", persons_per_unit = 3, source = "…", confidence = "inferred" }
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import demo_region_path
from logistics.exceptions import InventoryError, Problem, RegionError, say, tr
from logistics.region.levels import ResponseRules, load_rules
from logistics.stock import Catalogue, Fact, inventory_from_files, load_catalogue

if TYPE_CHECKING:
    from logistics.stock import Inventory

__all__ = ["MutualAidPartner", "Place", "Region", "demo_region", "inventory_from_file", "load_region"]

_KNOWN_KEYS = {
    "name", "name_en", "adcode", "province", "illustrative", "inventory", "places",
    "household_size", "basic_kit", "norms", "catalogue", "roads", "response_rules", "notes", "mutual_aid", "fleet",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A populated place that can receive relief (township, urban district, shelter).

    Parameters
    ----------
    id, name
        Identifier and name.
    county
        County or district name.
    adcode
        County administrative code.
    kind
        城区, 镇, 乡, 安置点 …
    lon, lat
        WGS-84.
    population
        Resident population (persons).
    illustrative
        Whether the record is invented for a demo.
    """

    id: str
    name: str
    county: str
    adcode: str
    kind: str
    lon: float
    lat: float
    population: int
    illustrative: bool = False


@dataclass(frozen=True)
class MutualAidPartner:
    """A neighbouring jurisdiction that can send stock after an activation delay.

    Parameters
    ----------
    name
        Partner name (唐山市).
    region_path
        The partner's ``region.toml``.
    activation_delay_h
        Hours from the request until the partner's goods can leave.
    source, note
        Provenance of the arrangement.
    """

    name: str
    region_path: Path
    activation_delay_h: float
    source: str = ""
    note: str = ""

    def inventory(self) -> Inventory:
        """Read the partner's stock."""
        return load_region(self.region_path).inventory()


@dataclass(frozen=True)
class Region:
    """A jurisdiction with its data files.

    Parameters
    ----------
    path
        The ``region.toml`` file.
    name, name_en
        Names.
    adcode
        Administrative code.
    inventory_files
        Depot and inventory files, relative paths resolved.
    places_file
        Places file, if any.
    household_size
        Persons per household (a :class:`~logistics.stock.catalogue.Fact`).
    catalogue
        Catalogue with the region's overrides applied.
    basic_kit
        Items that 基本生活物资 expands to.
    illustrative_note
        Non-empty when the region's data are (partly) invented.
    extra
        Other tables of the file (e.g. ``roads``, ``response_rules``) for other modules.
    """

    path: Path
    name: str
    name_en: str
    adcode: str
    inventory_files: tuple[Path, ...]
    places_file: Path | None
    household_size: Fact
    catalogue: Catalogue
    basic_kit: tuple[str, ...]
    illustrative_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    response_rules_file: Path | None = None
    mutual_aid: tuple[MutualAidPartner, ...] = ()

    def response_rules(self) -> ResponseRules:
        """Response-level rules of the region (``national_2024`` when the region names none).

        Raises
        ------
        RulesError
            If the rules file is invalid.
        """
        return load_rules(self.response_rules_file or "national_2024")

    def inventory(self) -> Inventory:
        """Read and validate the region's depots and stock (cached per region object).

        Raises
        ------
        InventoryError
            Listing every problem in the files.
        """
        return self._inventory

    @cached_property
    def _inventory(self) -> Inventory:
        return inventory_from_files(
            self.inventory_files,
            catalogue=self.catalogue,
            household_size=float(self.household_size.value or 2.6),
            basic_kit=self.basic_kit,
            name=self.name,
            illustrative_note=self.illustrative_note,
        )

    def places(self) -> list[Place]:
        """Read the region's places (demand points).

        Raises
        ------
        RegionError
            If the places file is invalid.
        """
        if self.places_file is None:
            return []
        return read_places(self.places_file)


def read_places(path: Path) -> list[Place]:
    """Read a places CSV (``id,name,county,adcode,kind,lon,lat,population[,illustrative]``).

    Parameters
    ----------
    path
        The CSV file.

    Raises
    ------
    RegionError
        Listing every bad row.
    """
    problems: list[Problem] = []
    out: list[Place] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegionError(
            [Problem(tr(f"cannot read places file: {exc}", f"无法读取地点文件：{exc}"), file=str(path))]
        ) from None
    reader = csv.DictReader(text.splitlines())
    required = ["id", "name", "county", "lon", "lat", "population"]
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise RegionError([Problem(tr(f"missing column(s) {missing}", f"缺少列 {missing}"), file=str(path))])
    seen: set[str] = set()
    for row_no, row in enumerate(reader, start=2):
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
            pop = int(float(row["population"]))
        except ValueError as exc:
            problems.append(Problem(tr(f"bad number: {exc}", f"数字无效：{exc}"), file=str(path), row=row_no))
            continue
        if pop < 0:
            problems.append(
                Problem(
                    tr("negative population", "人口为负数"),
                    file=str(path),
                    row=row_no,
                    column="population",
                    value=row["population"],
                )
            )
            continue
        if row["id"] in seen:
            problems.append(
                Problem(
                    tr("duplicate place id", "地点编号重复"),
                    file=str(path),
                    row=row_no,
                    column="id",
                    value=row["id"],
                )
            )
            continue
        seen.add(row["id"])
        out.append(
            Place(
                id=row["id"],
                name=row["name"],
                county=row["county"],
                adcode=row.get("adcode", "") or "",
                kind=row.get("kind", "") or "",
                lon=lon,
                lat=lat,
                population=pop,
                illustrative=(row.get("illustrative", "") or "").strip().lower()
                in ("是", "yes", "true", "1"),
            )
        )
    if problems:
        raise RegionError(problems)
    return out


def load_region(path: str | Path) -> Region:
    """Load a ``region.toml`` file (or a folder that holds one).

    Parameters
    ----------
    path
        The region file or its folder.

    Raises
    ------
    RegionError
        If the file is missing or invalid (every problem listed).
    CatalogueError
        If a norm override is invalid.
    """
    p, data = _read_region_toml(path)
    inv_paths, places_file = _check_fields_and_files(p, data)
    catalogue = load_catalogue(p.parent / data["catalogue"]) if "catalogue" in data else load_catalogue()
    if data.get("norms"):
        catalogue = catalogue.with_overrides(data["norms"], origin=str(p))
    household = _household_size(p, data, catalogue)
    kit = _basic_kit(p, data, catalogue)
    extra = _extra(p, data)
    rules_file = _rules_file(p, data)
    partners = _mutual_aid_partners(p, data)
    return Region(
        path=p,
        name=data["name"],
        name_en=data.get("name_en", data["name"]),
        adcode=str(data.get("adcode", "")),
        inventory_files=inv_paths,
        places_file=places_file,
        household_size=household,
        catalogue=catalogue,
        basic_kit=kit,
        illustrative_note=str(data.get("illustrative", "")),
        extra=extra,
        response_rules_file=rules_file,
        mutual_aid=partners,
    )


def _read_region_toml(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """Find and parse the region file; return its path and contents."""
    p = Path(path)
    if p.is_dir():
        p = p / "region.toml"
    if not p.exists():
        raise RegionError([Problem(tr("region file not found", "未找到区域文件"), file=str(p))])
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegionError(
            [Problem(tr(f"invalid TOML: {exc}", f"TOML 格式错误：{exc}"), file=str(p))]
        ) from None
    return p, data


def _check_fields_and_files(p: Path, data: dict[str, Any]) -> tuple[tuple[Path, ...], Path | None]:
    """Check the fields, inventory files and places file (every problem listed); return the files."""
    problems: list[Problem] = []
    for key in sorted(set(data) - _KNOWN_KEYS):
        problems.append(
            Problem(
                tr(
                    f"unknown field (known: {', '.join(sorted(_KNOWN_KEYS))})",
                    f"未知字段（可用字段：{'、'.join(sorted(_KNOWN_KEYS))}）",
                ),
                file=str(p),
                column=key,
            )
        )
    if "name" not in data:
        problems.append(Problem(tr("missing field", "缺少字段"), file=str(p), column="name"))
    inv = data.get("inventory", {})
    files = inv.get("files", []) if isinstance(inv, dict) else []
    if not files:
        problems.append(
            Problem(
                tr("missing list of inventory files", "缺少库存文件列表"),
                file=str(p),
                column="inventory.files",
            )
        )
    inv_paths = tuple((p.parent / f) for f in files)
    for f in inv_paths:
        if not f.exists():
            problems.append(
                Problem(
                    tr("inventory file not found", "未找到库存文件"),
                    file=str(p),
                    column="inventory.files",
                    value=str(f),
                )
            )
    places = data.get("places", {})
    places_file = p.parent / places["file"] if isinstance(places, dict) and "file" in places else None
    if places_file is not None and not places_file.exists():
        problems.append(
            Problem(
                tr("places file not found", "未找到地点文件"),
                file=str(p),
                column="places.file",
                value=str(places_file),
            )
        )
    if problems:
        raise RegionError(problems)
    return inv_paths, places_file


def _household_size(p: Path, data: dict[str, Any], catalogue: Catalogue) -> Fact:
    """Return the region's household size, or the catalogue's when the region gives none."""
    hh = data.get("household_size")
    household = catalogue.household_size
    if hh is not None:
        try:
            household = Fact(
                hh["value"], hh.get("source", ""), hh.get("confidence", "assumed"), hh.get("note", "")
            )
            if not (household.value and household.value > 0):
                raise ValueError(tr("household_size must be > 0", "household_size 必须大于 0"))
        except (KeyError, TypeError, ValueError) as exc:
            raise RegionError(
                [
                    Problem(
                        tr(f"invalid household_size: {exc}", f"household_size 无效：{say(exc)}"),
                        file=str(p),
                        column="household_size",
                    )
                ]
            ) from None
    return household


def _basic_kit(p: Path, data: dict[str, Any], catalogue: Catalogue) -> tuple[str, ...]:
    """Return the items 基本生活物资 expands to, checked against the catalogue."""
    kit = tuple(data.get("basic_kit", catalogue.basic_kit))
    bad = [k for k in kit if k not in catalogue]
    if bad:
        raise RegionError(
            [
                Problem(
                    tr("unknown item in basic_kit", "basic_kit 中有未知物资"),
                    file=str(p),
                    column="basic_kit",
                    value=", ".join(bad),
                )
            ]
        )
    return kit


def _extra(p: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Collect the tables kept for other modules, with the fleet and road files resolved and checked."""
    extra: dict[str, Any] = {k: v for k, v in data.items() if k in ("roads", "notes", "province")}
    if "fleet" in data:
        fleet_file = p.parent / data["fleet"]
        if not fleet_file.exists():
            raise RegionError(
                [
                    Problem(
                        tr("fleet file not found", "未找到车队文件"),
                        file=str(p),
                        column="fleet",
                        value=str(fleet_file),
                    )
                ]
            )
        extra["fleet_file"] = fleet_file
    if "roads" in data:
        roads_file = p.parent / data["roads"]
        if not roads_file.exists():
            raise RegionError(
                [
                    Problem(
                        tr("road network file not found", "未找到路网文件"),
                        file=str(p),
                        column="roads",
                        value=str(roads_file),
                    )
                ]
            )
        extra["roads_file"] = roads_file
    return extra


def _rules_file(p: Path, data: dict[str, Any]) -> Path | None:
    """Return the region's response-rules file, if it names one (checked to exist)."""
    rules_file = p.parent / data["response_rules"] if "response_rules" in data else None
    if rules_file is not None and not rules_file.exists():
        raise RegionError(
            [
                Problem(
                    tr("response rules file not found", "未找到响应级别规则文件"),
                    file=str(p),
                    column="response_rules",
                    value=str(rules_file),
                )
            ]
        )
    return rules_file


def _mutual_aid_partners(p: Path, data: dict[str, Any]) -> tuple[MutualAidPartner, ...]:
    """Read the ``[[mutual_aid]]`` entries."""
    partners: list[MutualAidPartner] = []
    for k, entry in enumerate(data.get("mutual_aid", [])):
        where = f"mutual_aid[{k}]"
        try:
            partner_path = p.parent / entry["region"]
            delay = float(entry.get("activation_delay_h", 0))
            if not (delay >= 0):
                raise ValueError(tr("activation_delay_h must be >= 0", "activation_delay_h 不能为负数"))
        except (KeyError, TypeError, ValueError) as exc:
            raise RegionError(
                [
                    Problem(
                        tr(f"invalid mutual-aid partner: {exc}", f"对口支援单位无效：{say(exc)}"),
                        file=str(p),
                        column=where,
                    )
                ]
            ) from None
        if not partner_path.exists():
            raise RegionError(
                [
                    Problem(
                        tr("partner region not found", "未找到对口支援单位的区域文件"),
                        file=str(p),
                        column=f"{where}.region",
                        value=str(partner_path),
                    )
                ]
            )
        partners.append(
            MutualAidPartner(
                str(entry.get("name", partner_path.parent.name)),
                partner_path,
                delay,
                str(entry.get("source", "")),
                str(entry.get("note", "")),
            )
        )
    return tuple(partners)


def demo_region() -> Region:
    """Load the embedded demo region (秦皇岛市; stock figures are illustrative)."""
    return load_region(demo_region_path())


def inventory_from_file(path: str | Path, **kwargs: Any) -> Inventory:
    """Read one file, a folder of files, or a region file into an :class:`Inventory`.

    Parameters
    ----------
    path
        A ``region.toml``; a folder (its ``region.toml`` if present, else every CSV/XLSX/
        GeoJSON/GeoPackage file in it); or a single CSV, XLSX, GeoJSON or GeoPackage file.
    **kwargs
        Passed to :func:`inventory_from_files`.

    Raises
    ------
    InventoryError
        Listing every problem found.
    RegionError
        If a region file is invalid.
    """
    p = Path(path)
    if p.is_dir() and (p / "region.toml").exists():
        p = p / "region.toml"
    if p.suffix.lower() == ".toml":
        return load_region(p).inventory()
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix.lower() in (".csv", ".xlsx", ".geojson", ".gpkg"))
        if not files:
            raise InventoryError(
                [
                    Problem(
                        tr(
                            "no CSV, XLSX, GeoJSON or GeoPackage file in folder",
                            "文件夹中没有 CSV、XLSX、GeoJSON 或 GeoPackage 文件",
                        ),
                        file=str(p),
                    )
                ]
            )
        return inventory_from_files(files, **kwargs)
    return inventory_from_files([p], **kwargs)
