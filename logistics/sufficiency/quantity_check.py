"""Stockpile sufficiency in quantity (储备充足性, 数量): which response level the stock meets.

For each level L of a rules file, the requirement of item *k* is the catalogue norm applied to the
level's design population P_L for D_L days (:meth:`logistics.stock.catalogue.Item.requirement`). The
usable stock on a date is

* physical stock (实物储备) not expired on that date (a batch whose expiry date was derived from
  an assumed shelf life stays usable; the part of the usable stock that is past such a date is
  reported as ``past_assumed_expiry``, and each level says whether it would still be met
  without it);
* plus contract reserves (协议储备) whose lead time is within the response deadline (12 h by
  default): they can be called at once and delivered in time;
* plus production capacity (产能储备): ``daily_rate × max(0, 24·D_L − startup_delay_h) / 24``,
  capped by the contracted quantity — what can be produced while the stock is being consumed;
* mutual aid (a partner's stock) is reported separately and counted only when asked.

``coverage = usable / required`` and ``shortfall = max(0, required − usable)``; a level is met
when every required item has coverage ≥ 1 (stock exactly equal to the requirement meets it). The
highest level met is the most severe level all of whose items are covered. Per county, the
level's requirement is shared out in proportion to the county's population (from the region's
places) and compared with the stock held in that county.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from logistics.region import LEVEL_NAMES_ZH, RESPONSE_LEVELS, ResponseRules
from logistics.stock import Inventory, ReserveType, whole_persons

if TYPE_CHECKING:
    import datetime as dt

    from logistics.region import Place

__all__ = [
    "ItemCheck",
    "LevelCheck",
    "SufficiencyParams",
    "SufficiencyResult",
    "check_quantity",
    "usable_stock",
]


@dataclass(frozen=True)
class SufficiencyParams:
    """Parameters of a sufficiency check.

    Parameters
    ----------
    date
        Date of the check (expired stock is not usable).
    deadline_h
        Response deadline in hours; contract reserves count when their lead time is within it.
    items
        Item ids required at each level; the inventory catalogue's basic kit by default.
    include_contract, include_capacity
        Count contract / production-capacity reserves.
    include_mutual_aid
        Count the mutual-aid partners' stock (always reported separately).
    apply_assumed_expiry
        Leave out batches past an expiry date derived from an assumed shelf life, as if the
        assumption were right (off by default: such batches count and are flagged).
    """

    date: dt.date
    deadline_h: float = 12.0
    items: tuple[str, ...] | None = None
    include_contract: bool = True
    include_capacity: bool = True
    include_mutual_aid: bool = False
    apply_assumed_expiry: bool = False

    def __post_init__(self) -> None:
        if not (self.deadline_h > 0):
            raise ValueError(f"Expected deadline_h > 0, got {self.deadline_h!r}.")


@dataclass(frozen=True)
class ItemCheck:
    """Requirement and usable stock of one item at one level.

    ``past_assumed_expiry`` is the part of ``usable`` that is past an expiry date derived from
    an assumed shelf life: counted, but resting on that assumption being wrong (需核查).
    """

    item_id: str
    name: str
    unit: str
    required: float
    usable: float
    usable_by_type: dict[str, float]
    mutual_aid: float
    covers: float
    consumable: bool
    design_population: int
    norm_confidence: str
    past_assumed_expiry: float = 0.0

    @property
    def coverage(self) -> float:
        """``usable / required`` (1.0 when nothing is required)."""
        return self.usable / self.required if self.required > 0 else 1.0

    @property
    def covered_excluding_assumed_expiry(self) -> bool:
        """Whether the requirement is met without the stock past an assumed expiry date."""
        return self.required <= 0 or self.usable - self.past_assumed_expiry >= self.required

    @property
    def shortfall(self) -> float:
        """``max(0, required − usable)``."""
        return max(0.0, self.required - self.usable)

    def reads(self, lang: str = "zh") -> str:
        """Describe what the usable stock covers, as plans write it (满足N人M天 / 满足N人)."""
        if self.consumable:
            days = self.covers / self.design_population if self.design_population else 0.0
            if lang == "zh":
                return f"满足{self.design_population:,}人{days:.1f}天"
            return f"{self.design_population:,} persons for {days:.1f} days"
        n = whole_persons(self.covers)
        return f"满足{n:,}人" if lang == "zh" else f"{n:,} persons"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "item": self.item_id,
            "name": self.name,
            "unit": self.unit,
            "required": _r(self.required),
            "usable": _r(self.usable),
            "coverage": round(self.coverage, 4),
            "shortfall": _r(self.shortfall),
            "usable_by_type": {k: _r(v) for k, v in self.usable_by_type.items()},
            "mutual_aid": _r(self.mutual_aid),
            "covers_persons" if not self.consumable else "covers_person_days": _r(self.covers),
            "reads": self.reads(),
            "reads_en": self.reads("en"),
            "norm_confidence": self.norm_confidence,
            "past_assumed_expiry": _r(self.past_assumed_expiry),
        }


def _r(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 3)


@dataclass(frozen=True)
class LevelCheck:
    """Quantity check of one level."""

    level: str
    design_population: int
    design_days: float
    items: tuple[ItemCheck, ...]

    @property
    def met(self) -> bool:
        """Whether every required item is fully covered."""
        return all(i.coverage >= 1.0 for i in self.items)

    @property
    def met_excluding_assumed_expiry(self) -> bool:
        """Whether the level is met without stock past an expiry date derived from an assumed shelf life."""
        return all(i.coverage >= 1.0 and i.covered_excluding_assumed_expiry for i in self.items)

    @property
    def rests_on_assumed_expiry(self) -> bool:
        """Whether some usable figure of this level includes stock past an assumed expiry date."""
        return any(i.past_assumed_expiry > 0 for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "level": self.level,
            "name": LEVEL_NAMES_ZH[self.level],
            "design_population": self.design_population,
            "design_days": self.design_days,
            "met": self.met,
            "met_excluding_assumed_expiry": self.met_excluding_assumed_expiry,
            "rests_on_assumed_expiry": self.rests_on_assumed_expiry,
            "min_coverage": round(min((i.coverage for i in self.items), default=1.0), 4),
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class CountyCheck:
    """Stock held in one county against its population share of a level's requirement."""

    county: str
    population: int
    share: float
    items: tuple[ItemCheck, ...]

    @property
    def min_coverage(self) -> float:
        """Lowest coverage over the items."""
        return min((i.coverage for i in self.items), default=1.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        weakest = min(self.items, key=lambda i: i.coverage, default=None)
        return {
            "county": self.county,
            "population": self.population,
            "share": round(self.share, 4),
            "min_coverage": round(self.min_coverage, 4),
            "weakest_item": weakest.item_id if weakest else None,
            "weakest_name": weakest.name if weakest else None,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class SufficiencyResult:
    """Result of :func:`check_quantity`."""

    rules: ResponseRules
    params: SufficiencyParams
    levels: dict[str, LevelCheck]
    counties: dict[str, CountyCheck] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def highest_level_met(self) -> str | None:
        """The most severe level whose requirement is fully met, or ``None``."""
        return _highest({lv: self.levels[lv].met for lv in RESPONSE_LEVELS})

    @property
    def highest_level_met_excluding_assumed_expiry(self) -> str | None:
        """The highest level met if stock past an assumed expiry date were left out."""
        return _highest({lv: self.levels[lv].met_excluding_assumed_expiry for lv in RESPONSE_LEVELS})

    @property
    def target_level(self) -> str:
        """Target level of the rules."""
        return self.rules.target_level

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the ``logistics check --json`` contract, without time and expiry)."""
        target = self.levels[self.target_level]
        return {
            "date": self.params.date.isoformat(),
            "rules": {
                "jurisdiction": self.rules.jurisdiction,
                "name": self.rules.name,
                "document": self.rules.document,
                "illustrative": self.rules.illustrative,
            },
            "highest_level_met": self.highest_level_met,
            "target_level": self.target_level,
            "target_met": target.met,
            "excluding_assumed_expiry": {
                "highest_level_met": self.highest_level_met_excluding_assumed_expiry,
                "target_met": target.met_excluding_assumed_expiry,
                "levels_met": {lv: self.levels[lv].met_excluding_assumed_expiry for lv in RESPONSE_LEVELS},
            },
            "gap": [i.to_dict() for i in target.items if i.shortfall > 0],
            "levels": {lv: self.levels[lv].to_dict() for lv in RESPONSE_LEVELS},
            "counties": {c: cc.to_dict() for c, cc in self.counties.items()},
            "notes": list(self.notes),
        }


def _highest(met: dict[str, bool]) -> str | None:
    """Return the highest level such that it and every lower level are met (requirements grow with the level)."""
    best = None
    for lv in RESPONSE_LEVELS:
        if not met[lv]:
            break
        best = lv
    return best


def usable_stock(
    inv: Inventory, item_id: str, params: SufficiencyParams, *, horizon_days: float, county: str | None = None
) -> dict[str, float]:
    """Usable quantity of one item by reserve type.

    Parameters
    ----------
    inv
        The inventory.
    item_id
        The item.
    params
        Date, deadline and which reserve types count.
    horizon_days
        Days over which production capacity may produce.
    county
        Only depots of this county, if given.
    """
    out = {"physical": 0.0, "contract": 0.0, "capacity": 0.0}
    for ln in inv.lines:
        if ln.item_id != item_id or not ln.is_usable(
            params.date, apply_assumed_expiry=params.apply_assumed_expiry
        ):
            continue
        d = inv.depot(ln.depot_id)
        if county is not None and d.county != county:
            continue
        if d.reserve_type is ReserveType.PHYSICAL:
            out["physical"] += ln.quantity
        elif d.reserve_type is ReserveType.CONTRACT:
            if params.include_contract and d.lead_time_h <= params.deadline_h:
                out["contract"] += ln.quantity
        elif params.include_capacity and ln.daily_rate:
            hours = max(0.0, horizon_days * 24 - d.startup_delay_h)
            out["capacity"] += min(ln.quantity, ln.daily_rate * hours / 24)
    return out


def _item_checks(
    inv: Inventory,
    items: tuple[str, ...],
    population: float,
    days: float,
    design_population: int,
    params: SufficiencyParams,
    *,
    county: str | None = None,
    mutual_aid: Inventory | None = None,
) -> tuple[ItemCheck, ...]:
    out = []
    strict = replace(params, apply_assumed_expiry=True)
    for item_id in items:
        item = inv.catalogue[item_id]
        required = float(item.requirement(population, days, inv.household_size))
        by_type = usable_stock(inv, item_id, params, horizon_days=days, county=county)
        assumed = sum(by_type.values()) - sum(
            usable_stock(inv, item_id, strict, horizon_days=days, county=county).values()
        )
        aid = 0.0
        if mutual_aid is not None and item_id in mutual_aid.catalogue:
            aid = sum(usable_stock(mutual_aid, item_id, params, horizon_days=days).values())
            if params.include_mutual_aid:
                assumed += aid - sum(usable_stock(mutual_aid, item_id, strict, horizon_days=days).values())
        usable = sum(by_type.values()) + (aid if params.include_mutual_aid else 0.0)
        out.append(
            ItemCheck(
                item_id=item_id,
                name=item.name_zh,
                unit=item.unit,
                required=required,
                usable=usable,
                usable_by_type=by_type,
                mutual_aid=aid,
                covers=item.persons_covered(usable, inv.household_size),
                consumable=item.norm.consumable,
                design_population=design_population,
                norm_confidence=item.norm.confidence,
                past_assumed_expiry=max(0.0, round(assumed, 9)),
            )
        )
    return tuple(out)


def check_quantity(
    inv: Inventory,
    rules: ResponseRules,
    params: SufficiencyParams,
    *,
    places: list[Place] | None = None,
    mutual_aid: Inventory | None = None,
) -> SufficiencyResult:
    """Check the stock against every response level, for the jurisdiction and per county.

    Parameters
    ----------
    inv
        The inventory (region stock).
    rules
        Response-level rules.
    params
        Date, deadline, items and which reserves count.
    places
        Populated places with their county, for the per-county check.
    mutual_aid
        A partner's inventory (reported separately; counted if ``params.include_mutual_aid``).

    Returns
    -------
    SufficiencyResult
        Per level and item: required, usable, coverage, shortfall; the highest level met.

    Examples
    --------
    >>> import datetime as dt
    >>> from logistics.region.levels import load_rules
    >>> from logistics.region.region import demo_region
    >>> region = demo_region()
    >>> res = check_quantity(region.inventory(), load_rules("national_2024"),
    ...                      SufficiencyParams(date=dt.date(2026, 11, 23)))
    >>> res.highest_level_met is None  # a city's stock is far below a national level IV
    True
    """
    items = params.items or inv.catalogue.basic_kit
    unknown = [i for i in items if i not in inv.catalogue]
    if unknown:
        raise ValueError(f"Expected catalogue item ids, got unknown {unknown}.")
    levels: dict[str, LevelCheck] = {}
    for lv in RESPONSE_LEVELS:
        rule = rules.levels[lv]
        checks = _item_checks(
            inv,
            items,
            rule.design_population,
            rule.design_days,
            rule.design_population,
            params,
            mutual_aid=mutual_aid,
        )
        levels[lv] = LevelCheck(lv, rule.design_population, rule.design_days, checks)
    counties: dict[str, CountyCheck] = {}
    if places:
        total = sum(p.population for p in places)
        rule = rules.levels[rules.target_level]
        pops: dict[str, int] = {}
        for p in places:
            pops[p.county] = pops.get(p.county, 0) + p.population
        for county, pop in pops.items():
            share = pop / total if total else 0.0
            checks = _item_checks(
                inv, items, rule.design_population * share, rule.design_days, round(rule.design_population * share),
                params, county=county,
            )  # fmt: skip
            counties[county] = CountyCheck(county, pop, share, checks)
    notes = []
    if rules.illustrative:
        notes.append(rules.illustrative)
    if inv.illustrative_note:
        notes.append(inv.illustrative_note)
    return SufficiencyResult(rules, params, levels, counties, tuple(notes))
