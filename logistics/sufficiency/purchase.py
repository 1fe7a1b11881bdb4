"""What-if stock changes and the cheapest purchase list that reaches a target level."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from logistics.common.limits import MAX_TEXT_CHARS
from logistics.exceptions import InputError, Problem, say, tr
from logistics.stock import Capacity, Inventory, InventoryLine, parse_quantity

if TYPE_CHECKING:
    from logistics.sufficiency.quantity_check import SufficiencyResult

__all__ = ["PurchaseLine", "add_stock", "purchase_list"]

_ADD_RE = re.compile(r"^\s*(?P<item>[^=]+?)\s*=\s*(?P<qty>[^@]+?)\s*@\s*(?P<depot>.+?)\s*$")


def add_stock(inv: Inventory, specs: list[str]) -> Inventory:
    """Return a copy of ``inv`` with extra stock, for what-if checks.

    Parameters
    ----------
    inv
        The inventory.
    specs
        ``ITEM=QTY@DEPOT`` strings, e.g. ``帐篷=500顶@QHD-M01`` or ``饮用水=满足1万人3天@QHD-M01``
        (depot by id or name).

    Raises
    ------
    InputError
        Naming each malformed spec, unknown item or depot, or bad quantity.
    """
    problems: list[Problem] = []
    lines = list(inv.lines)
    by_name = {d.name: d for d in inv.depots}
    for spec in specs:
        if len(spec) > 2 * MAX_TEXT_CHARS:
            problems.append(Problem(tr(f"longer than {2 * MAX_TEXT_CHARS} characters", f"超过 {2 * MAX_TEXT_CHARS} 个字符"), column="--add",
                                    value=spec[:40] + "…"))  # fmt: skip
            continue
        m = _ADD_RE.match(spec)
        if not m:
            problems.append(
                Problem(
                    tr("expected ITEM=QTY@DEPOT", "格式应为 ITEM=QTY@DEPOT（物资=数量@库点）"),
                    column="--add",
                    value=spec,
                )
            )
            continue
        item = inv.catalogue.find(m["item"])
        depot_id = m["depot"]
        depot = by_name.get(depot_id)
        if depot is None and depot_id in {d.id for d in inv.depots}:
            depot = inv.depot(depot_id)
        if item is None:
            problems.append(Problem(tr("unknown item", "未知物资"), column="--add", value=m["item"]))
        if depot is None:
            problems.append(Problem(tr("unknown depot", "未知库点"), column="--add", value=depot_id))
        try:
            q = parse_quantity(m["qty"])
        except InputError as exc:
            problems.append(Problem(tr(str(exc), say(exc)), column="--add", value=spec))
            continue
        if item is None or depot is None:
            continue
        if isinstance(q, Capacity):
            qty = float(item.requirement(q.persons, q.days, inv.household_size))
        else:
            factor = item.conversion_factor(q.unit)
            if factor is None:
                problems.append(
                    Problem(
                        tr(
                            f"{q.unit!r} is not a unit of {item.name_zh}",
                            f"{q.unit!r} 不是{item.name_zh}的计量单位",
                        ),
                        column="--add",
                        value=spec,
                    )
                )
                continue
            qty = float(Fraction(str(q.value)) * factor)
        lines.append(
            InventoryLine(depot_id=depot.id, item_id=item.id, quantity=qty, text=m["qty"], note="what-if (--add)",
                          unit_price_cny=item.unit_price_cny.value, pieces=None if item.is_measure else qty)
        )  # fmt: skip
    if problems:
        raise InputError(problems)
    return replace(inv, lines=tuple(lines))


@dataclass(frozen=True)
class PurchaseLine:
    """One line of a purchase list.

    Parameters
    ----------
    item_id, name, unit
        The item bought.
    quantity
        Quantity to buy (base unit, whole for pieces).
    unit_price_cny
        Price per unit when known.
    cost_cny
        ``quantity × unit_price_cny`` when the price is known.
    weight_kg
        Weight bought (the ranking measure when the price is unknown).
    covers_for
        The required item this purchase covers (itself, or the item it substitutes for).
    """

    item_id: str
    name: str
    unit: str
    quantity: float
    unit_price_cny: float | None
    cost_cny: float | None
    weight_kg: float
    covers_for: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "item": self.item_id,
            "name": self.name,
            "unit": self.unit,
            "quantity": self.quantity,
            "unit_price_cny": self.unit_price_cny,
            "cost_cny": None if self.cost_cny is None else round(self.cost_cny, 2),
            "weight_kg": round(self.weight_kg, 3),
            "covers_for": self.covers_for,
        }


def purchase_list(
    result: SufficiencyResult, inv: Inventory, level: str | None = None, *, allow_substitutes: bool = False
) -> list[PurchaseLine]:
    """Return the cheapest purchases that close every shortfall at ``level``.

    Each short item is bought in the quantity of its shortfall (rounded up to whole pieces).
    With ``allow_substitutes``, a shortfall may instead be covered by an item listed as its
    substitute in the catalogue, one for one, when that is cheaper. Cost is the unit price where
    known; items without a price are compared by weight (lighter is cheaper to buy, store and
    move), and any priced option is preferred over an unpriced one only by price among priced
    options.

    Parameters
    ----------
    result
        A quantity sufficiency result.
    inv
        The inventory it was computed on (for the catalogue).
    level
        Target level; the rules' target by default.
    allow_substitutes
        Whether substitutes may cover a shortfall.
    """
    lv = level or result.target_level
    out = []
    for check in result.levels[lv].items:
        if check.shortfall <= 0:
            continue
        item = inv.catalogue[check.item_id]
        options = [item]
        if allow_substitutes:
            options += [inv.catalogue[s] for s in item.substitutes if s in inv.catalogue]

        def key(it):
            price = it.unit_price_cny.value
            return (0, price) if price is not None else (1, it.weight_kg.value or 0.0)

        best = min(options, key=key)
        qty = check.shortfall if best.is_measure else float(math.ceil(check.shortfall - 1e-9))
        price = best.unit_price_cny.value
        out.append(
            PurchaseLine(
                item_id=best.id,
                name=best.name_zh,
                unit=best.unit,
                quantity=qty,
                unit_price_cny=price,
                cost_cny=None if price is None else qty * price,
                weight_kg=qty * (best.weight_kg.value or 0.0),
                covers_for=item.id,
            )
        )
    return out
