"""Expiring stock and rotation (储备更新轮换); expiry dates that rest on an assumption (需核查).

A line whose expiry date is stated in the inventory file, or derived from a sourced or inferred
shelf life, expires on that date: :func:`expiring_lines` lists it for rotation within 30 / 90 /
180 days, and it is not usable after it. A line whose expiry date was derived from a shelf life
the catalogue marks ``assumed`` (no source states it) is never removed on that assumption alone:
it stays usable and :func:`assumed_expiry_lines` lists it as 需核查 (to be verified), naming the
assumed shelf life and the date it would expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from logistics.stock.inventory import Inventory

__all__ = ["AssumedExpiryLine", "ExpiringLine", "assumed_expiry_lines", "expiring_lines"]

#: Windows in days, from the most urgent.
WINDOWS: tuple[int, ...] = (30, 90, 180)

_ADVICE_ZH = {
    0: "已过期：停止调拨，按规定报废处置，并采购等量补库",
    30: "立即轮换：30天内优先用于日常救助发放或演练消耗，同步启动采购补库",
    90: "安排轮换：列入下季度发放或调剂计划，启动采购程序",
    180: "列入半年轮换计划，与供应商商定以旧换新或协议代储",
}
_ADVICE_EN = {
    0: "expired: stop issuing, dispose of it as required and buy the same quantity",
    30: "rotate now: issue within 30 days (routine relief, drills) and start a replacement purchase",
    90: "plan rotation: schedule issue or transfer next quarter and start procurement",
    180: "put on the six-month rotation plan; agree exchange or contract storage with the supplier",
}


@dataclass(frozen=True)
class ExpiringLine:
    """A stock line that expires soon (or has expired).

    Parameters
    ----------
    depot_id, depot_name, item_id, item_name
        Where and what.
    batch
        Batch number, if any.
    quantity
        Quantity in the base unit.
    unit
        Base unit.
    expiry_date
        Expiry date.
    derived
        Whether the expiry date was computed from the production date and shelf life.
    days_left
        Days from the check date to the expiry date (negative when expired).
    window
        0 (expired), 30, 90 or 180.
    value_cny
        Value at risk (quantity × unit price), when the price is known.
    """

    depot_id: str
    depot_name: str
    item_id: str
    item_name: str
    batch: str | None
    quantity: float
    unit: str
    expiry_date: dt.date
    derived: bool
    days_left: int
    window: int
    value_cny: float | None

    def advice(self, lang: str = "zh") -> str:
        """Suggested rotation action."""
        return (_ADVICE_ZH if lang == "zh" else _ADVICE_EN)[self.window]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "depot": self.depot_id,
            "depot_name": self.depot_name,
            "item": self.item_id,
            "name": self.item_name,
            "batch": self.batch,
            "quantity": self.quantity,
            "unit": self.unit,
            "expiry_date": self.expiry_date.isoformat(),
            "expiry_derived": self.derived,
            "days_left": self.days_left,
            "window_days": self.window,
            "value_cny": None if self.value_cny is None else round(self.value_cny, 2),
            "advice": self.advice(),
        }


def expiring_lines(inv: Inventory, on: dt.date, *, horizon_days: int = 180) -> list[ExpiringLine]:
    """Lines expired or expiring within ``horizon_days`` of ``on``, most urgent first.

    Lines whose expiry date rests on an assumed shelf life are not listed here (their date is
    not known): see :func:`assumed_expiry_lines`.

    Parameters
    ----------
    inv
        The inventory.
    on
        Date of the check.
    horizon_days
        Look-ahead (default 180 days, the widest window).

    Examples
    --------
    >>> import datetime as dt
    >>> from logistics.region.region import demo_region
    >>> lines = expiring_lines(demo_region().inventory(), dt.date(2026, 11, 23))
    >>> sorted({ln.window for ln in lines}) == sorted({ln.window for ln in lines} & {0, 30, 90, 180})
    True
    """
    out = []
    for ln in inv.lines:
        if ln.expiry_date is None or ln.expiry_assumed:
            continue
        days = (ln.expiry_date - on).days
        if days > horizon_days:
            continue
        window = 0 if days < 0 else next(w for w in WINDOWS if days <= w)
        depot = inv.depot(ln.depot_id)
        item = inv.catalogue[ln.item_id]
        out.append(
            ExpiringLine(
                depot_id=depot.id,
                depot_name=depot.name,
                item_id=item.id,
                item_name=item.name_zh,
                batch=ln.batch,
                quantity=ln.quantity,
                unit=item.unit,
                expiry_date=ln.expiry_date,
                derived=ln.expiry_derived,
                days_left=days,
                window=window,
                value_cny=None if ln.unit_price_cny is None else ln.quantity * ln.unit_price_cny,
            )
        )
    out.sort(key=lambda e: (e.days_left, e.depot_id, e.item_id))
    return out


@dataclass(frozen=True)
class AssumedExpiryLine:
    """A stock line whose expiry date rests on an assumed shelf life (需核查, to be verified).

    Parameters
    ----------
    depot_id, depot_name, item_id, item_name
        Where and what (``item_name`` in Chinese).
    batch
        Batch number, if any.
    quantity
        Quantity in the base unit.
    unit
        Base unit.
    production_date
        Production date as stated.
    shelf_life_days
        The assumed shelf life (days) the expiry date was derived from.
    expiry_date
        The date the line would expire if the assumption were right.
    days_left
        Days from the check date to that date (negative when it has passed).
    item_name_en
        English item name.
    """

    depot_id: str
    depot_name: str
    item_id: str
    item_name: str
    batch: str | None
    quantity: float
    unit: str
    production_date: dt.date
    shelf_life_days: int
    expiry_date: dt.date
    days_left: int
    item_name_en: str = ""

    @property
    def past(self) -> bool:
        """Whether the assumed expiry date has passed (the line is still counted as usable)."""
        return self.days_left < 0

    def assumption(self, lang: str = "zh") -> str:
        """Name the assumption and what to do about it.

        Parameters
        ----------
        lang
            ``zh`` or ``en``.
        """
        if lang == "zh":
            state = "已过" if self.past else "将到"
            return (
                f"保质期{self.shelf_life_days}天为假定值（无来源）：按此推算{state}有效期"
                f"{self.expiry_date.isoformat()}；仍计入可用量，请核实产品标注的有效期"
            )
        state = "has passed" if self.past else "is near"
        return (
            f"shelf life of {self.shelf_life_days} days is assumed (no source): the expiry date it gives, "
            f"{self.expiry_date.isoformat()}, {state}; still counted as usable, check the date on the product"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "depot": self.depot_id,
            "depot_name": self.depot_name,
            "item": self.item_id,
            "name": self.item_name,
            "name_en": self.item_name_en,
            "batch": self.batch,
            "quantity": self.quantity,
            "unit": self.unit,
            "production_date": self.production_date.isoformat(),
            "assumed_shelf_life_days": self.shelf_life_days,
            "assumed_expiry_date": self.expiry_date.isoformat(),
            "days_left": self.days_left,
            "past_assumed_expiry": self.past,
            "counted_as_usable": True,
            "assumption": self.assumption(),
        }


def assumed_expiry_lines(inv: Inventory, on: dt.date, *, horizon_days: int = 180) -> list[AssumedExpiryLine]:
    """Lines whose expiry date rests on an assumed shelf life and falls before ``on + horizon_days``.

    These lines stay usable (:meth:`logistics.stock.inventory.InventoryLine.is_usable`); they
    are listed so that someone checks the date on the product. Most overdue first.

    Parameters
    ----------
    inv
        The inventory.
    on
        Date of the check.
    horizon_days
        Look-ahead (default 180 days, as :func:`expiring_lines`).

    Examples
    --------
    >>> import datetime as dt
    >>> from logistics.region.region import demo_region
    >>> todo = assumed_expiry_lines(demo_region().inventory(), dt.date(2026, 12, 14))
    >>> lamps = [a for a in todo if a.item_id == "emergency_light" and a.past]
    >>> sorted({a.shelf_life_days for a in lamps}), sum(a.quantity for a in lamps)
    ([1095], 2530.0)
    """
    out = []
    for ln in inv.lines:
        if not ln.expiry_assumed or ln.expiry_date is None or ln.production_date is None:
            continue
        days = (ln.expiry_date - on).days
        if days > horizon_days:
            continue
        depot = inv.depot(ln.depot_id)
        item = inv.catalogue[ln.item_id]
        out.append(
            AssumedExpiryLine(
                depot_id=depot.id,
                depot_name=depot.name,
                item_id=item.id,
                item_name=item.name_zh,
                batch=ln.batch,
                quantity=ln.quantity,
                unit=item.unit,
                production_date=ln.production_date,
                shelf_life_days=(ln.expiry_date - ln.production_date).days,
                expiry_date=ln.expiry_date,
                days_left=days,
                item_name_en=item.name_en,
            )
        )
    out.sort(key=lambda e: (e.days_left, e.depot_id, e.item_id))
    return out
