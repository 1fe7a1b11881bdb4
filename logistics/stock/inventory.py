"""Depots, inventory lines and the inventory of a region (储备库与库存).

An :class:`Inventory` is immutable and fully validated: every quantity is in the item's base
unit, every location in WGS-84. Files are read by :mod:`logistics.stock.inventory_io`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    import pandas as pd

    from logistics.stock.catalogue import Catalogue
    from logistics.stock.quantity import Capacity

__all__ = [
    "DEPOT_LEVELS",
    "Depot",
    "Inventory",
    "InventoryLine",
    "ReserveType",
    "SourceRef",
]

#: Depot levels, from the top.
DEPOT_LEVELS: tuple[str, ...] = ("省", "市", "县", "乡镇", "点")


class ReserveType(StrEnum):
    """How stock is held (储备方式)."""

    PHYSICAL = "实物储备"
    """Stock physically held in the depot; ready at once."""
    CONTRACT = "协议储备"
    """Held by a supplier under contract (协议储备); deliverable after a lead time."""
    CAPACITY = "产能储备"
    """Production capacity (产能储备): units per day after a start-up delay."""

    @property
    def label_en(self) -> str:
        """English label."""
        return {"实物储备": "physical", "协议储备": "contract", "产能储备": "capacity"}[self.value]


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: file, sheet (or layer) and row as a person sees it."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        s = self.file + (f"[{self.sheet}]" if self.sheet else "")
        return s + (f":{self.row}" if self.row is not None else "")


@dataclass(frozen=True)
class Depot:
    """A depot or reserve (储备库/储备点, or a contract or capacity reserve).

    Parameters
    ----------
    id
        Unique identifier.
    name
        Name (Chinese).
    level
        One of :data:`DEPOT_LEVELS`.
    lon, lat
        WGS-84 location (converted on input when a file declares GCJ-02 or BD-09).
    reserve_type
        Physical stock, contract reserve or production capacity.
    adcode
        Administrative division code (行政区划代码) of the jurisdiction, if given.
    lead_time_h
        Contract reserves: hours from the order until goods can leave the supplier.
    startup_delay_h
        Capacity reserves: hours until production starts.
    county
        County or district the depot belongs to, if given.
    address
        Street address, if given.
    crs_in
        Coordinate system the file declared (``WGS84``, ``GCJ02``, ``BD09``).
    illustrative
        Whether the record is invented for a demo (示意数据).
    note
        Free text.
    source
        Where it was read.
    """

    id: str
    name: str
    level: str
    lon: float
    lat: float
    reserve_type: ReserveType = ReserveType.PHYSICAL
    adcode: str | None = None
    lead_time_h: float = 0.0
    startup_delay_h: float = 0.0
    county: str | None = None
    address: str | None = None
    crs_in: str = "WGS84"
    illustrative: bool = False
    note: str = ""
    source: SourceRef | None = None

    def __post_init__(self) -> None:
        if self.level not in DEPOT_LEVELS:
            raise ValueError(f"Expected level in {DEPOT_LEVELS}, got {self.level!r}.")
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise ValueError(f"Expected lon/lat in degrees, got {self.lon!r}, {self.lat!r}.")
        if not (self.lead_time_h >= 0 and self.startup_delay_h >= 0):
            raise ValueError("Expected lead_time_h >= 0 and startup_delay_h >= 0.")

    @property
    def ready_h(self) -> float:
        """Hours after the order at which goods can first leave this depot."""
        if self.reserve_type is ReserveType.CONTRACT:
            return self.lead_time_h
        if self.reserve_type is ReserveType.CAPACITY:
            return self.startup_delay_h
        return 0.0


@dataclass(frozen=True)
class InventoryLine:
    """One stock line: an item at a depot, in the item's base unit.

    Parameters
    ----------
    depot_id
        Depot holding the stock.
    item_id
        Catalogue item id.
    quantity
        Quantity in the item's base unit. For capacity reserves: the contracted maximum.
    text
        The quantity as written in the file.
    stated_unit
        Unit as written (``箱``, ``吨``…), ``None`` when none was written.
    pieces
        Number of pieces as stated (for totals in 件), ``None`` for measured units (kg, L).
    approx
        Whether the stated quantity was approximate (约, 余, 以上…).
    approx_marker
        The marker, if any.
    capacity
        The capacity statement the quantity was derived from, if any.
    batch
        Batch or lot number.
    production_date, expiry_date
        Dates, if known.
    expiry_derived
        Whether ``expiry_date`` was computed as production date + shelf life.
    expiry_assumed
        Whether that shelf life is an assumption (catalogue confidence ``assumed``, no sourced
        value). Such a line is not removed from usable stock after ``expiry_date``; it is
        listed for verification instead (:func:`logistics.stock.expiry.assumed_expiry_lines`).
    unit_price_cny
        Price per base unit, if known (from the file, else the catalogue).
    daily_rate
        Capacity reserves: base units produced per day after the start-up delay.
    illustrative
        Whether the line is invented for a demo.
    note
        Free text.
    source
        Where it was read.
    """

    depot_id: str
    item_id: str
    quantity: float
    text: str = ""
    stated_unit: str | None = None
    pieces: float | None = None
    approx: bool = False
    approx_marker: str | None = None
    capacity: Capacity | None = None
    batch: str | None = None
    production_date: dt.date | None = None
    expiry_date: dt.date | None = None
    expiry_derived: bool = False
    expiry_assumed: bool = False
    unit_price_cny: float | None = None
    daily_rate: float | None = None
    illustrative: bool = False
    note: str = ""
    source: SourceRef | None = None

    def __post_init__(self) -> None:
        if not (self.quantity >= 0):
            raise ValueError(f"Expected quantity >= 0, got {self.quantity!r}.")

    def is_usable(self, on: dt.date, *, apply_assumed_expiry: bool = False) -> bool:
        """Whether the line may be used on ``on``: not expired (expiry day itself still usable).

        An expiry date that rests on an assumed shelf life (``expiry_assumed``) does not make
        the line unusable: it stays usable and is listed for verification (需核查).

        Parameters
        ----------
        on
            The date of the check.
        apply_assumed_expiry
            Treat an expiry date derived from an assumed shelf life like a known one (to show
            what the figures would be if the assumption were right).

        Examples
        --------
        >>> import datetime as dt
        >>> day = dt.date(2026, 12, 14)
        >>> known = InventoryLine("D1", "quilt", 10, expiry_date=dt.date(2026, 12, 13))
        >>> assumed = InventoryLine("D1", "emergency_light", 10, production_date=dt.date(2023, 12, 14),
        ...                         expiry_date=dt.date(2026, 12, 13), expiry_derived=True,
        ...                         expiry_assumed=True)
        >>> known.is_usable(day), assumed.is_usable(day), assumed.is_usable(day, apply_assumed_expiry=True)
        (False, True, False)
        """
        if self.expiry_date is None or self.expiry_date >= on:
            return True
        return self.expiry_assumed and not apply_assumed_expiry

    def past_assumed_expiry(self, on: dt.date) -> bool:
        """Whether the line is usable on ``on`` only because its expiry date is an assumption.

        Parameters
        ----------
        on
            The date of the check.
        """
        return self.expiry_assumed and self.expiry_date is not None and self.expiry_date < on


@dataclass(frozen=True)
class Inventory:
    """Depots and their stock lines, validated, with the catalogue used to read them.

    Parameters
    ----------
    depots
        Depots in file order.
    lines
        Stock lines in file order.
    catalogue
        The catalogue (with region overrides applied).
    household_size
        Persons per household used for per-household norms.
    name
        Name of the region or file.
    illustrative_note
        Non-empty when some data are illustrative; shown by every output.
    sources
        Files read.
    """

    depots: tuple[Depot, ...]
    lines: tuple[InventoryLine, ...]
    catalogue: Catalogue
    household_size: float
    name: str = ""
    illustrative_note: str = ""
    sources: tuple[str, ...] = ()
    _depot_index: dict[str, Depot] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_depot_index", {d.id: d for d in self.depots})
        missing = sorted({ln.depot_id for ln in self.lines} - set(self._depot_index))
        if missing:
            raise ValueError(f"Lines refer to unknown depots: {missing}.")

    @property
    def illustrative(self) -> bool:
        """Whether any depot or line is marked illustrative."""
        return (
            bool(self.illustrative_note)
            or any(d.illustrative for d in self.depots)
            or any(ln.illustrative for ln in self.lines)
        )

    def depot(self, depot_id: str) -> Depot:
        """Return the depot with id ``depot_id``.

        Parameters
        ----------
        depot_id
            Depot id.

        Raises
        ------
        KeyError
            If there is no such depot.
        """
        return self._depot_index[depot_id]

    def lines_at(self, depot_id: str) -> list[InventoryLine]:
        """Stock lines of one depot.

        Parameters
        ----------
        depot_id
            Depot id.
        """
        return [ln for ln in self.lines if ln.depot_id == depot_id]

    def items_in_stock(self) -> list[str]:
        """Item ids with at least one line, in catalogue order."""
        present = {ln.item_id for ln in self.lines}
        return [i.id for i in self.catalogue if i.id in present]

    def lines_table(self, *, lang: str = "zh") -> pd.DataFrame:
        """One row per stock line with depot and item details.

        Parameters
        ----------
        lang
            ``zh`` or ``en`` for the item and reserve-type labels.
        """
        import pandas as pd  # heavy: loaded only on this path

        rows: list[dict[str, Any]] = []
        for ln in self.lines:
            d = self.depot(ln.depot_id)
            item = self.catalogue[ln.item_id]
            rows.append(
                {
                    "depot_id": d.id,
                    "depot_name": d.name,
                    "level": d.level,
                    "reserve_type": d.reserve_type.value if lang == "zh" else d.reserve_type.label_en,
                    "item_id": item.id,
                    "item_name": item.name(lang),
                    "unit": item.unit,
                    "quantity": ln.quantity,
                    "pieces": ln.pieces,
                    "text": ln.text,
                    "approx": ln.approx,
                    "from_capacity": ln.capacity is not None,
                    "weight_kg": ln.quantity * (item.weight_kg.value or 0.0),
                    "volume_m3": ln.quantity * (item.volume_m3.value or 0.0),
                    "batch": ln.batch,
                    "production_date": ln.production_date,
                    "expiry_date": ln.expiry_date,
                    "expiry_derived": ln.expiry_derived,
                    "expiry_assumed": ln.expiry_assumed,
                    "unit_price_cny": ln.unit_price_cny,
                    "daily_rate": ln.daily_rate,
                    "lon": d.lon,
                    "lat": d.lat,
                    "illustrative": ln.illustrative or d.illustrative,
                    "source": str(ln.source) if ln.source else "",
                }
            )
        return pd.DataFrame(rows)

    def totals_by_item(
        self,
        *,
        on: dt.date | None = None,
        reserve_types: Iterable[ReserveType] = (ReserveType.PHYSICAL,),
    ) -> list[ItemTotal]:
        """Total quantity per item, with what it covers.

        Parameters
        ----------
        on
            If given, expired lines (expiry date before ``on``) are left out, except those
            whose expiry date rests on an assumed shelf life (see :meth:`InventoryLine.is_usable`).
        reserve_types
            Which reserve types to count (default: physical stock only).
        """
        kinds = set(reserve_types)
        acc: dict[str, list[InventoryLine]] = {}
        for ln in self.lines:
            if self.depot(ln.depot_id).reserve_type not in kinds:
                continue
            if on is not None and not ln.is_usable(on):
                continue
            acc.setdefault(ln.item_id, []).append(ln)
        out = []
        for item in self.catalogue:
            lines = acc.get(item.id)
            if not lines:
                continue
            qty = math.fsum(ln.quantity for ln in lines)
            pieces = [ln.pieces for ln in lines if ln.pieces is not None]
            out.append(
                ItemTotal(
                    item_id=item.id,
                    quantity=qty,
                    pieces=math.fsum(pieces) if pieces else None,
                    weight_kg=qty * (item.weight_kg.value or 0.0),
                    volume_m3=qty * (item.volume_m3.value or 0.0),
                    covers=item.persons_covered(qty, self.household_size),
                    consumable=item.norm.consumable,
                    approx=any(ln.approx for ln in lines),
                    depots=len({ln.depot_id for ln in lines}),
                )
            )
        return out


@dataclass(frozen=True)
class ItemTotal:
    """Total stock of one item.

    Parameters
    ----------
    item_id
        Item.
    quantity
        Total in the base unit.
    pieces
        Total pieces as stated (``None`` if all lines are in measured units).
    weight_kg, volume_m3
        Total weight and packed volume.
    covers
        Persons covered (durables) or person-days covered (consumables).
    consumable
        Whether ``covers`` is in person-days.
    approx
        Whether any contributing line was approximate.
    depots
        Number of depots holding it.
    """

    item_id: str
    quantity: float
    pieces: float | None
    weight_kg: float
    volume_m3: float
    covers: float
    consumable: bool
    approx: bool
    depots: int
