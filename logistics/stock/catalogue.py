"""Relief-item catalogue: names, units, per-capita norms, weights, volumes, shelf lives, prices.

The catalogue shipped with the package lives in ``logistics/data/catalogue.toml``. Every fact
carries a ``source`` (URL, empty when none was found) and a ``confidence``: ``sourced`` (stated
in the source), ``inferred`` (derived from it) or ``assumed`` (no source; a placeholder). A
region file may override any norm or fact (:meth:`Catalogue.with_overrides`).

Norms turn persons (and days) into quantities:

====================  ==========================================  ==================
basis                 quantity for ``P`` persons and ``D`` days   kind
====================  ==========================================  ==================
per_person            ``q × P``                                   durable
per_household         ``q × P / household_size``                  durable
per_n_persons         ``P / persons_per_unit``                    durable
per_person_per_day    ``q × P × D``                               consumable
====================  ==========================================  ==================

Quantities of piece units (顶, 床, 件…) are rounded up to whole units; measured units (kg, L)
are exact.
"""

from __future__ import annotations

import difflib
import math
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from logistics.exceptions import CatalogueError, Problem, say, tr

__all__ = [
    "CONFIDENCE_LEVELS",
    "NORM_BASES",
    "Catalogue",
    "Fact",
    "Item",
    "Norm",
    "load_catalogue",
    "normalise_name",
    "whole_persons",
]

NormBasis = Literal["per_person", "per_household", "per_n_persons", "per_person_per_day"]
NORM_BASES: tuple[str, ...] = ("per_person", "per_household", "per_n_persons", "per_person_per_day")
CONFIDENCE_LEVELS: tuple[str, ...] = ("sourced", "inferred", "assumed")
#: Units of physical measure (fractional quantities allowed), and their aliases.
MEASURE_UNIT_ALIASES: dict[str, str] = {
    "kg": "kg", "公斤": "kg", "千克": "kg", "KG": "kg", "Kg": "kg",
    "L": "L", "l": "L", "升": "L",
}  # fmt: skip
#: Exact conversions between physical units: (from, to) -> factor.
EXACT_CONVERSIONS: dict[tuple[str, str], Fraction] = {
    ("吨", "kg"): Fraction(1000),
    ("t", "kg"): Fraction(1000),
    ("斤", "kg"): Fraction(1, 2),
    ("克", "kg"): Fraction(1, 1000),
    ("g", "kg"): Fraction(1, 1000),
    ("毫升", "L"): Fraction(1, 1000),
    ("ml", "L"): Fraction(1, 1000),
}


def normalise_name(name: str) -> str:
    """Normalise a name for look-up: NFKC, no spaces, lower case.

    Parameters
    ----------
    name
        An item name, alias or id.
    """
    s = unicodedata.normalize("NFKC", str(name))
    return "".join(s.split()).lower()


def canonical_unit(unit: str) -> str:
    """Return the canonical spelling of a unit (``公斤`` → ``kg``, ``升`` → ``L``).

    Parameters
    ----------
    unit
        A unit as written.
    """
    u = unicodedata.normalize("NFKC", unit).strip()
    return MEASURE_UNIT_ALIASES.get(u, u)


def _bad_confidence(confidence: object) -> str:
    return tr(f"Expected confidence in {CONFIDENCE_LEVELS}, got {confidence!r}.",
              f"confidence 应为 {CONFIDENCE_LEVELS} 之一，实为 {confidence!r}。")  # fmt: skip


@dataclass(frozen=True)
class Fact:
    """A value with its provenance.

    Parameters
    ----------
    value
        The value, or ``None`` when unknown.
    source
        URL of the source; empty when none was found.
    confidence
        ``sourced``, ``inferred`` or ``assumed``.
    note
        Free text.
    """

    value: float | None
    source: str = ""
    confidence: str = "assumed"
    note: str = ""

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCE_LEVELS:
            raise ValueError(_bad_confidence(self.confidence))
        if self.value is not None and not (self.value >= 0):
            raise ValueError(tr(f"Expected a non-negative value, got {self.value!r}.",
                                f"值不能为负数，实为 {self.value!r}。"))  # fmt: skip


@dataclass(frozen=True)
class Norm:
    """A per-capita norm: how many units ``P`` persons need for ``D`` days.

    Parameters
    ----------
    basis
        One of ``per_person``, ``per_household``, ``per_n_persons``, ``per_person_per_day``.
    quantity
        Units per person, household or person-day (ignored for ``per_n_persons``).
    persons_per_unit
        For ``per_n_persons``: one unit per this many persons.
    source, confidence, note
        Provenance, as in :class:`Fact`.
    """

    basis: NormBasis
    quantity: float = 1.0
    persons_per_unit: float | None = None
    source: str = ""
    confidence: str = "assumed"
    note: str = ""

    def __post_init__(self) -> None:
        if self.basis not in NORM_BASES:
            raise ValueError(tr(f"Expected norm basis in {NORM_BASES}, got {self.basis!r}.",
                                f"定额 basis 应为 {NORM_BASES} 之一，实为 {self.basis!r}。"))  # fmt: skip
        if self.confidence not in CONFIDENCE_LEVELS:
            raise ValueError(_bad_confidence(self.confidence))
        if self.basis == "per_n_persons":
            if self.persons_per_unit is None or not (self.persons_per_unit > 0):
                raise ValueError(tr("Expected persons_per_unit > 0 for a per_n_persons norm.",
                                    "per_n_persons 定额的 persons_per_unit 必须大于 0。"))  # fmt: skip
        elif not (self.quantity > 0):
            raise ValueError(tr(f"Expected norm quantity > 0, got {self.quantity!r}.",
                                f"定额 quantity 必须大于 0，实为 {self.quantity!r}。"))  # fmt: skip

    @property
    def consumable(self) -> bool:
        """Whether the need scales with days (``per_person_per_day``)."""
        return self.basis == "per_person_per_day"

    def per_person(self, household_size: float) -> Fraction:
        """Units per person (per day for consumables), as an exact fraction.

        Parameters
        ----------
        household_size
            Persons per household, for ``per_household`` norms.
        """
        q = Fraction(str(self.quantity))
        if self.basis == "per_household":
            return q / Fraction(str(household_size))
        if self.basis == "per_n_persons":
            return 1 / Fraction(str(self.persons_per_unit))
        return q


@dataclass(frozen=True)
class Item:
    """One kind of relief item.

    Parameters
    ----------
    id
        Stable identifier (snake_case English).
    name_zh, name_en
        Names.
    unit
        Base unit of quantities (``顶``, ``床``, ``kg``, ``L``…).
    category
        Category (shelter, bedding, clothing, water, food, lighting, household, sanitation).
    norm
        The per-capita norm.
    weight_kg, volume_m3
        Weight and packed volume of one base unit, for truck loading.
    shelf_life_days
        Shelf life, when the item expires.
    unit_price_cny
        Unit price, when known.
    aliases
        Other names accepted on input.
    standard
        Product standard (MZ/T …), if any.
    gbt38565_code
        GB/T 38565-2020 code, when known.
    unit_conversions
        Packing units convertible to the base unit (``箱`` → 13.2 L), each a :class:`Fact`
        whose value is the factor.
    substitutes
        Items that may stand in for this one when a scenario allows substitution.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    norm: Norm
    weight_kg: Fact
    volume_m3: Fact
    shelf_life_days: Fact = field(default_factory=lambda: Fact(None))
    unit_price_cny: Fact = field(default_factory=lambda: Fact(None))
    aliases: tuple[str, ...] = ()
    standard: str = ""
    gbt38565_code: str = ""
    unit_conversions: tuple[tuple[str, Fact], ...] = ()
    substitutes: tuple[str, ...] = ()

    @property
    def is_measure(self) -> bool:
        """Whether the base unit is a physical measure (kg, L) rather than pieces."""
        return self.unit in ("kg", "L")

    def name(self, lang: str = "zh") -> str:
        """Display name in ``lang`` (``zh`` or ``en``)."""
        return self.name_zh if lang == "zh" else self.name_en

    def conversion_factor(self, unit: str | None) -> Fraction | None:
        """Factor from ``unit`` to the base unit, or ``None`` if not convertible.

        Parameters
        ----------
        unit
            A unit as written; ``None`` means the base unit.
        """
        if unit is None:
            return Fraction(1)
        u = canonical_unit(unit)
        if u == self.unit:
            return Fraction(1)
        if (u, self.unit) in EXACT_CONVERSIONS:
            return EXACT_CONVERSIONS[(u, self.unit)]
        for name, fact in self.unit_conversions:
            if canonical_unit(name) == u and fact.value is not None:
                return Fraction(str(fact.value))
        return None

    def allowed_units(self) -> list[str]:
        """Units accepted for this item on input."""
        units = [self.unit] + [a for a, c in MEASURE_UNIT_ALIASES.items() if c == self.unit]
        units += [f for (f, t) in EXACT_CONVERSIONS if t == self.unit]
        units += [name for name, _ in self.unit_conversions]
        return list(dict.fromkeys(units))

    def requirement(self, persons: float, days: float, household_size: float) -> int | float:
        """Units needed by ``persons`` for ``days`` under this item's norm.

        Piece units are rounded up to whole units; measured units are exact.

        Parameters
        ----------
        persons
            Number of persons.
        days
            Number of days (used by consumables only).
        household_size
            Persons per household.

        Examples
        --------
        >>> cat = load_catalogue()
        >>> cat["drinking_water"].requirement(5000, 15, 2.6)
        225000
        >>> cat["tent_toilet"].requirement(5000, 15, 2.6)
        100
        """
        if not (persons >= 0) or not (days >= 0):
            raise ValueError(f"Expected persons >= 0 and days >= 0, got {persons}, {days}.")
        q = self.norm.per_person(household_size) * Fraction(str(persons))
        if self.norm.consumable:
            q *= Fraction(str(days))
        if self.is_measure:
            return int(q) if q.denominator == 1 else float(q)
        return math.ceil(q)

    def persons_covered(self, quantity: float, household_size: float) -> float:
        """Persons covered by ``quantity`` (durables) or person-days (consumables).

        Parameters
        ----------
        quantity
            Quantity in the base unit.
        household_size
            Persons per household.
        """
        per = self.norm.per_person(household_size)
        return float(Fraction(str(quantity)) / per)


def whole_persons(covered: float) -> int:
    """Persons (or person-days) covered as every output states them: rounded down.

    A part of a person is not covered; the tolerance keeps an exact count that floating point
    put just below a whole number (12,999.999999999998) at that number.

    >>> whole_persons(7243 * 2.6), whole_persons(12999.999999999998)
    (18831, 13000)
    """
    return math.floor(covered + 1e-9)


@dataclass(frozen=True)
class Catalogue:
    """The set of relief items with look-up by id, name or alias.

    Parameters
    ----------
    items
        The items, in display order.
    household_size
        Default persons per household (a :class:`Fact`).
    source
        Where the catalogue was read from.
    basic_kit
        Item ids that "all basic-living items" (基本生活物资) stands for.
    """

    items: tuple[Item, ...]
    household_size: Fact
    source: str = ""
    basic_kit: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for item in self.items:
            for name in (item.id, item.name_zh, item.name_en, *item.aliases):
                key = normalise_name(name)
                if key in index and index[key] != item.id:
                    raise CatalogueError(tr(
                        f"{self.source}: name {name!r} is used by both {index[key]!r} and {item.id!r}",
                        f"{self.source}：名称 {name!r} 同时被 {index[key]!r} 和 {item.id!r} 使用"))  # fmt: skip
                index[key] = item.id
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_id", {i.id: i for i in self.items})

    def __getitem__(self, item_id: str) -> Item:
        return self._by_id[item_id]  # type: ignore[attr-defined,no-any-return]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id  # type: ignore[attr-defined]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def find(self, name: str) -> Item | None:
        """Return the item named ``name`` (id, Chinese or English name, alias), or ``None``.

        Parameters
        ----------
        name
            Any accepted name.
        """
        key = normalise_name(name)
        item_id = self._index.get(key)  # type: ignore[attr-defined]
        return None if item_id is None else self._by_id[item_id]  # type: ignore[attr-defined]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Close matches for an unknown name (for error messages).

        Parameters
        ----------
        name
            The unknown name.
        n
            Maximum number of suggestions.
        """
        key = normalise_name(name)
        keys = list(self._index)  # type: ignore[attr-defined]
        hits = difflib.get_close_matches(key, keys, n=n, cutoff=0.4)
        hits += [k for k in keys if key and (key in k or k in key) and k not in hits]
        out: list[str] = []
        for h in hits:
            item = self._by_id[self._index[h]]  # type: ignore[attr-defined]
            if item.name_zh not in out:
                out.append(item.name_zh)
        return out[:n]

    def with_overrides(self, overrides: dict[str, dict[str, Any]], *, origin: str = "") -> Catalogue:
        """Return a copy with per-item overrides from a region file.

        Parameters
        ----------
        overrides
            ``{item_id or name: {"norm": {...}, "weight_kg": {...}, ...}}``; each field is
            replaced as a whole and must state its own ``source`` and ``confidence``.
        origin
            File name used in error messages.

        Raises
        ------
        CatalogueError
            Unknown item or field, or an invalid value.
        """
        problems: list[Problem] = []
        by_id = {i.id: i for i in self.items}
        for name, fields in overrides.items():
            item = self.find(name)
            if item is None:
                sugg = self.suggest(name)
                hint = f"; did you mean {', '.join(sugg)}?" if sugg else ""
                hint_zh = f"；是否为 {'、'.join(sugg)}？" if sugg else ""
                problems.append(Problem(tr(f"unknown item{hint}", f"未知物资{hint_zh}"),
                                        file=origin, column=f"norms.{name}", value=name))  # fmt: skip
                continue
            try:
                by_id[item.id] = _item_with(by_id[item.id], fields)
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(Problem(tr(str(exc), say(exc)), file=origin, column=f"norms.{name}"))
        if problems:
            raise CatalogueError(problems)
        return replace(self, items=tuple(by_id[i.id] for i in self.items))


_FACT_FIELDS = ("weight_kg", "volume_m3", "shelf_life_days", "unit_price_cny")
_ITEM_FIELDS = {
    "name_zh", "name_en", "standard", "aliases", "unit", "category", "norm", "unit_conversions",
    "substitutes", "gbt38565_code", *_FACT_FIELDS,
}  # fmt: skip


def _fact(d: Any, what: str) -> Fact:
    if not isinstance(d, dict):
        raise TypeError(tr(f"{what} must be a table with value, source and confidence",
                           f"{what} 必须为含 value、source 和 confidence 的表"))  # fmt: skip
    value_key = "factor" if what.startswith("unit_conversions") else "value"
    unknown = set(d) - {value_key, "source", "confidence", "note", "range"}
    if unknown:
        raise KeyError(
            tr(f"unknown field(s) {sorted(unknown)} in {what}", f"{what} 中有未知字段 {sorted(unknown)}")
        )
    return Fact(d.get(value_key), d.get("source", ""), d.get("confidence", "assumed"), d.get("note", ""))


def _norm(d: Any) -> Norm:
    if not isinstance(d, dict):
        raise TypeError(tr("norm must be a table", "norm 必须为表"))
    unknown = set(d) - {"basis", "quantity", "persons_per_unit", "source", "confidence", "note", "unit"}
    if unknown:
        raise KeyError(
            tr(f"unknown field(s) {sorted(unknown)} in norm", f"norm 中有未知字段 {sorted(unknown)}")
        )
    if "confidence" not in d or "source" not in d:
        raise KeyError(tr("a norm must state its source and confidence", "定额必须注明 source 和 confidence"))
    return Norm(
        basis=d.get("basis", ""),
        quantity=d.get("quantity", 1.0),
        persons_per_unit=d.get("persons_per_unit"),
        source=d["source"],
        confidence=d["confidence"],
        note=d.get("note", ""),
    )


def _item_with(item: Item, fields: dict[str, Any]) -> Item:
    unknown = set(fields) - _ITEM_FIELDS
    if unknown:
        raise KeyError(tr(f"unknown field(s) {sorted(unknown)}; expected some of {sorted(_ITEM_FIELDS)}",
                          f"未知字段 {sorted(unknown)}；应为 {sorted(_ITEM_FIELDS)} 中的字段"))  # fmt: skip
    changes: dict[str, Any] = {}
    for key, val in fields.items():
        if key == "norm":
            changes["norm"] = _norm(val)
        elif key in _FACT_FIELDS:
            changes[key] = _fact(val, key)
        elif key == "unit_conversions":
            changes[key] = tuple((u, _fact(f, f"unit_conversions.{u}")) for u, f in val.items())
        elif key in ("aliases", "substitutes"):
            changes[key] = tuple(val)
        else:
            changes[key] = val
    return replace(item, **changes)


def _item_from_table(item_id: str, d: dict[str, Any]) -> Item:
    for required in ("name_zh", "name_en", "unit", "category", "norm", "weight_kg", "volume_m3"):
        if required not in d:
            raise KeyError(tr(f"missing field {required!r}", f"缺少字段 {required!r}"))
    base = Item(
        id=item_id,
        name_zh=d["name_zh"],
        name_en=d["name_en"],
        unit=d["unit"],
        category=d["category"],
        norm=_norm(d["norm"]),
        weight_kg=_fact(d["weight_kg"], "weight_kg"),
        volume_m3=_fact(d["volume_m3"], "volume_m3"),
    )
    rest = {k: v for k, v in d.items() if k not in ("name_zh", "name_en", "unit", "category")}
    return _item_with(base, rest)


def catalogue_from_dict(data: dict[str, Any], *, origin: str = "") -> Catalogue:
    """Build a catalogue from the parsed TOML structure.

    Parameters
    ----------
    data
        Parsed content of a catalogue file.
    origin
        File name for error messages.

    Raises
    ------
    CatalogueError
        Every problem found, each naming the item and field.
    """
    problems: list[Problem] = []
    items: list[Item] = []
    for item_id, table in data.get("items", {}).items():
        try:
            items.append(_item_from_table(item_id, table))
        except (ValueError, TypeError, KeyError) as exc:
            why = tr(str(exc).strip("'\""), say(exc).strip("'\""))
            problems.append(Problem(why, file=origin, column=f"items.{item_id}"))
    ids = {i.id for i in items}
    for item in items:
        for sub in item.substitutes:
            if sub not in ids:
                problems.append(Problem(tr("unknown substitute", "未知替代物资"), file=origin,
                                        column=f"items.{item.id}.substitutes", value=sub))  # fmt: skip
    defaults = data.get("defaults", {})
    hh = defaults.get("household_size", {"value": 2.6, "confidence": "assumed"})
    kit = tuple(defaults.get("basic_kit", ()))
    for k in kit:
        if k not in ids:
            problems.append(Problem(tr("unknown item in basic_kit", "basic_kit 中有未知物资"), file=origin,
                                    column="defaults.basic_kit", value=k))  # fmt: skip
    if problems:
        raise CatalogueError(problems)
    return Catalogue(tuple(items), _fact(hh, "household_size"), origin, kit)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load a catalogue file, by default the one shipped with the package.

    Parameters
    ----------
    path
        A TOML catalogue; ``None`` for the built-in catalogue.

    Raises
    ------
    CatalogueError
        If the file is invalid.
    """
    if path is None:
        text = (files("logistics") / "data" / "catalogue.toml").read_text(encoding="utf-8")
        origin = "logistics/data/catalogue.toml"
    else:
        text = Path(path).read_text(encoding="utf-8")
        origin = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(
            [Problem(tr(f"invalid TOML: {exc}", f"TOML 格式错误：{exc}"), file=origin)]
        ) from None
    return catalogue_from_dict(data, origin=origin)
