"""Response-level rules (自然灾害救助应急响应分级): start conditions and stock sizing per level.

A rules file (TOML) gives, for each level Ⅰ–Ⅳ, the bands of its start conditions and the source
of each. Semantics, as in the plans:

* a level starts when **any one** criterion is met (出现下列情况之一); when criteria of several
  levels are met, the highest level applies;
* bands are half-open: ``min`` inclusive (以上含本数), ``max`` exclusive (以下不含本数); a band
  without ``max`` has no upper bound (only the top level may be open);
* stock for a level is sized for a **design population** of relocated persons (``upper``: the top
  of the level's band of ``relocated_or_need_relief``, i.e. its exclusive upper bound, the
  largest event of the level rounded to the band limit; for the open top level its lower bound;
  ``lower``: the band's lower bound; or an explicit number) for ``design_days`` days.

National rules (2016 plan and 2024 revision) ship with the package (``national_2016``,
``national_2024``); a region may point at its own file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from logistics.exceptions import Problem, RulesError, tr

__all__ = [
    "CRITERIA",
    "LEVEL_NAMES_ZH",
    "RESPONSE_LEVELS",
    "Band",
    "LevelRule",
    "ResponseRules",
    "load_rules",
    "parse_level",
]

#: Levels from the least to the most severe.
RESPONSE_LEVELS: tuple[str, ...] = ("IV", "III", "II", "I")
LEVEL_NAMES_ZH: dict[str, str] = {"I": "Ⅰ级", "II": "Ⅱ级", "III": "Ⅲ级", "IV": "Ⅳ级"}

_LEVEL_SPELLINGS: dict[str, str] = {
    **{k: k for k in ("I", "II", "III", "IV")},
    "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV",
    "1": "I", "2": "II", "3": "III", "4": "IV",
    "一": "I", "二": "II", "三": "III", "四": "IV",
}  # fmt: skip


def parse_level(text: object) -> str | None:
    """Return the response level (``"I"`` … ``"IV"``) written as ``text``, or ``None``.

    Accepted: ``I``–``IV`` (any case), the Roman numeral characters ``Ⅰ``–``Ⅳ`` (as every output
    prints them), ``1``–``4`` and ``一``–``四``, each optionally followed by ``级`` (``Ⅱ级``,
    ``二级``), with surrounding spaces.

    Examples
    --------
    >>> [parse_level(x) for x in ("Ⅱ", "二级", "ii", "3", "Ⅳ级", "V")]
    ['II', 'II', 'II', 'III', 'IV', None]
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        return None
    s = str(text).strip().removesuffix("级").strip()
    return _LEVEL_SPELLINGS.get(s.upper() if s.isascii() else s)


#: Start-condition criteria and their units.
CRITERIA: dict[str, str] = {
    "deaths_missing": "persons dead (and missing, 2024 plan)",
    "neighbour_linkage_deaths_missing": "persons dead and missing, neighbouring-province linkage",
    "relocated_or_need_relief": "persons relocated or needing emergency living relief",
    "collapsed_rooms": "rooms collapsed or severely damaged (间)",
    "collapsed_households": "households with collapsed or severely damaged houses (户)",
    "drought_share": "share of the farming population needing relief for drought",
    "drought_persons": "persons needing government relief for drought",
}
_ROOT_KEYS = {
    "jurisdiction", "name", "document", "source", "confidence", "illustrative", "design_population",
    "design_days", "design_days_note", "target_level", "target_level_source", "levels", "note",
}  # fmt: skip
_LEVEL_KEYS = {*CRITERIA, "source", "confidence", "note", "design_population", "design_days"}


@dataclass(frozen=True)
class Band:
    """A half-open band ``[min, max)``; ``max`` is ``None`` for no upper bound."""

    min: float
    max: float | None = None

    def contains(self, x: float) -> bool:
        """Whether ``min <= x < max``.

        Parameters
        ----------
        x
            The value.
        """
        return self.min <= x and (self.max is None or x < self.max)


@dataclass(frozen=True)
class LevelRule:
    """One response level.

    Parameters
    ----------
    level
        ``I``, ``II``, ``III`` or ``IV``.
    bands
        Start-condition bands by criterion.
    design_population
        Persons the stock for this level is sized for.
    design_days
        Days of support the stock for this level is sized for.
    source, confidence, note
        Provenance.
    """

    level: str
    bands: dict[str, Band]
    design_population: int
    design_days: float
    source: str = ""
    confidence: str = "sourced"
    note: str = ""

    @property
    def name_zh(self) -> str:
        """Chinese label (Ⅱ级)."""
        return LEVEL_NAMES_ZH[self.level]


@dataclass(frozen=True)
class ResponseRules:
    """The response levels of one jurisdiction.

    Parameters
    ----------
    jurisdiction
        Identifier (``national_2024``, ``qinhuangdao`` …).
    name, document
        Titles.
    levels
        Level rules, from Ⅳ to Ⅰ.
    target_level
        The level the stock should meet (default Ⅱ, the national stocking rule).
    illustrative
        Non-empty when the numbers are placeholders; shown by every output that uses them.
    source, confidence
        Provenance of the document.
    path
        File read.
    """

    jurisdiction: str
    name: str
    document: str
    levels: dict[str, LevelRule]
    target_level: str = "II"
    illustrative: str = ""
    source: str = ""
    confidence: str = "sourced"
    path: str = ""
    design_days_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def level_for(self, **event: float) -> str | None:
        """Return the response level an event starts, or ``None`` if below Ⅳ.

        Parameters
        ----------
        **event
            Criterion values, e.g. ``relocated_or_need_relief=12000, deaths_missing=3``.

        Raises
        ------
        ValueError
            For an unknown criterion name or a negative value.

        Examples
        --------
        >>> rules = load_rules("national_2016")
        >>> rules.level_for(relocated_or_need_relief=1_000_000)
        'II'
        >>> rules.level_for(relocated_or_need_relief=999_999, deaths_missing=200)
        'I'
        """
        for k, v in event.items():
            if k not in CRITERIA:
                raise ValueError(f"Expected a criterion in {sorted(CRITERIA)}, got {k!r}.")
            if not (v >= 0):
                raise ValueError(f"Expected {k} >= 0, got {v!r}.")
        for level in reversed(RESPONSE_LEVELS):
            rule = self.levels[level]
            if any(k in rule.bands and v >= rule.bands[k].min for k, v in event.items()):
                return level
        return None


def _band(value: Any, where: str, file: str, problems: list[Problem]) -> Band | None:
    if not isinstance(value, dict) or "min" not in value or set(value) - {"min", "max"}:
        problems.append(
            Problem(
                tr("a band must be a table {min = …, max = …}", "区间必须为表 {min = …, max = …}"),
                file=file,
                column=where,
                value=str(value),
            )
        )
        return None
    lo, hi = value["min"], value.get("max")
    ok = True
    for name, x in (("min", lo), ("max", hi)):
        if x is None:
            continue
        if not isinstance(x, int | float) or isinstance(x, bool):
            problems.append(
                Problem(
                    tr(f"{name} must be a number", f"{name} 必须为数字"),
                    file=file,
                    column=where,
                    value=str(x),
                )
            )
            ok = False
        elif not (x >= 0):
            problems.append(
                Problem(
                    tr(f"{name} must not be negative", f"{name} 不能为负数"),
                    file=file,
                    column=where,
                    value=str(x),
                )
            )
            ok = False
    if ok and hi is not None and not (hi > lo):
        problems.append(
            Problem(
                tr("max must be greater than min", "max 必须大于 min"),
                file=file,
                column=where,
                value=f"{lo}..{hi}",
            )
        )
        ok = False
    if ok and where.endswith("drought_share") and (lo > 1 or (hi is not None and hi > 1)):
        problems.append(
            Problem(
                tr("a share must lie in [0, 1]", "比例必须在 [0, 1] 内"),
                file=file,
                column=where,
                value=f"{lo}..{hi}",
            )
        )
        ok = False
    return Band(float(lo), None if hi is None else float(hi)) if ok else None


def rules_from_dict(data: dict[str, Any], *, origin: str = "") -> ResponseRules:
    """Build and validate rules from a parsed TOML structure.

    Parameters
    ----------
    data
        Parsed file.
    origin
        File name for messages.

    Raises
    ------
    RulesError
        Every problem, each with the file and the field path (``levels.II.deaths_missing``).
    """
    problems: list[Problem] = []
    levels_raw = _check_root(data, origin, problems)
    target = parse_level(data.get("target_level", "II")) or data.get("target_level")
    if target not in RESPONSE_LEVELS:
        problems.append(
            Problem(
                tr("unknown level", "未知响应级别"), file=origin, column="target_level", value=str(target)
            )
        )
    bands_by_level = _level_bands(levels_raw, origin, problems)
    _check_band_order(bands_by_level, origin, problems)
    levels = _level_rules(data, levels_raw, bands_by_level, origin, problems)
    if problems:
        raise RulesError(problems)
    return ResponseRules(
        jurisdiction=str(data.get("jurisdiction", "")),
        name=str(data.get("name", data.get("jurisdiction", ""))),
        document=str(data.get("document", "")),
        levels=levels,
        target_level=str(target),
        illustrative=str(data.get("illustrative", "")),
        source=str(data.get("source", "")),
        confidence=str(data.get("confidence", "sourced")),
        path=origin,
        design_days_note=str(data.get("design_days_note", "")),
    )


def _check_root(data: dict[str, Any], origin: str, problems: list[Problem]) -> dict[str, Any]:
    """Check the top-level fields and the set of levels; return the ``levels`` table."""
    for key in sorted(set(data) - _ROOT_KEYS):
        problems.append(Problem(tr("unknown field", "未知字段"), file=origin, column=key))
    levels_raw = data.get("levels")
    if not isinstance(levels_raw, dict):
        raise RulesError(
            [
                Problem(
                    tr("missing [levels.I] … [levels.IV] tables", "缺少 [levels.I] … [levels.IV] 表"),
                    file=origin,
                    column="levels",
                )
            ]
        )
    for key in sorted(set(levels_raw) - set(RESPONSE_LEVELS)):
        problems.append(
            Problem(
                tr("unknown level (expected I, II, III, IV)", "未知响应级别（应为 I、II、III、IV）"),
                file=origin,
                column=f"levels.{key}",
            )
        )
    for level in RESPONSE_LEVELS:
        if level not in levels_raw:
            problems.append(
                Problem(tr("missing level", "缺少响应级别"), file=origin, column=f"levels.{level}")
            )
    return levels_raw


def _level_bands(
    levels_raw: dict[str, Any], origin: str, problems: list[Problem]
) -> dict[str, dict[str, Band]]:
    """Read each level's start-condition bands (levels that are not tables are left out)."""
    bands_by_level: dict[str, dict[str, Band]] = {}
    for level in RESPONSE_LEVELS:
        raw = levels_raw.get(level)
        if not isinstance(raw, dict):
            continue
        for key in sorted(set(raw) - _LEVEL_KEYS):
            problems.append(
                Problem(tr("unknown field", "未知字段"), file=origin, column=f"levels.{level}.{key}")
            )
        bands: dict[str, Band] = {}
        for crit in CRITERIA:
            if crit in raw:
                b = _band(raw[crit], f"levels.{level}.{crit}", origin, problems)
                if b is not None:
                    bands[crit] = b
        if "relocated_or_need_relief" not in raw:
            problems.append(
                Problem(
                    tr("missing band (needed to size stock)", "缺少区间（用于确定储备规模）"),
                    file=origin,
                    column=f"levels.{level}.relocated_or_need_relief",
                )
            )
        bands_by_level[level] = bands
    return bands_by_level


def _check_band_order(
    bands_by_level: dict[str, dict[str, Band]], origin: str, problems: list[Problem]
) -> None:
    """Check that bands are sorted and do not overlap: Ⅳ below Ⅲ below Ⅱ below Ⅰ."""
    for crit in CRITERIA:
        prev: tuple[str, Band] | None = None
        for level in RESPONSE_LEVELS:
            b = bands_by_level.get(level, {}).get(crit)
            if b is None:
                continue
            if prev is not None:
                plevel, pb = prev
                where = f"levels.{level}.{crit}"
                if pb.max is None:
                    problems.append(
                        Problem(
                            tr(
                                f"level {plevel} has no upper bound but a higher level follows",
                                f"{LEVEL_NAMES_ZH[plevel]}没有上限，但其后还有更高级别",
                            ),
                            file=origin,
                            column=f"levels.{plevel}.{crit}",
                        )
                    )
                elif b.min < pb.min:
                    problems.append(
                        Problem(
                            tr(
                                f"bands not sorted: starts below level {plevel}",
                                f"区间未按顺序排列：起点低于{LEVEL_NAMES_ZH[plevel]}",
                            ),
                            file=origin,
                            column=where,
                            value=f"{b.min:g}",
                        )
                    )
                elif b.min < pb.max:
                    problems.append(
                        Problem(
                            tr(
                                f"band overlaps level {plevel} ({pb.min:g}..{pb.max:g})",
                                f"区间与{LEVEL_NAMES_ZH[plevel]}（{pb.min:g}..{pb.max:g}）重叠",
                            ),
                            file=origin,
                            column=where,
                            value=f"{b.min:g}",
                        )
                    )
            prev = (level, b)


def _level_rules(
    data: dict[str, Any],
    levels_raw: dict[str, Any],
    bands_by_level: dict[str, dict[str, Band]],
    origin: str,
    problems: list[Problem],
) -> dict[str, LevelRule]:
    """Size each level's stock (design population and days) and build its rule."""
    default_pop = data.get("design_population", "upper")
    default_days = data.get("design_days", 7)
    levels: dict[str, LevelRule] = {}
    for level in RESPONSE_LEVELS:
        raw = levels_raw.get(level)
        if not isinstance(raw, dict) or level not in bands_by_level:
            continue
        pop_spec = raw.get("design_population", default_pop)
        days = raw.get("design_days", default_days)
        reloc = bands_by_level[level].get("relocated_or_need_relief")
        pop = _design_population(pop_spec, reloc, level, origin, problems)
        if not isinstance(days, int | float) or isinstance(days, bool) or not (days > 0):
            problems.append(
                Problem(
                    tr("design_days must be a positive number", "design_days 必须为正数"),
                    file=origin,
                    column=f"levels.{level}.design_days",
                    value=str(days),
                )
            )
            continue
        if pop is None:
            continue
        levels[level] = LevelRule(
            level=level,
            bands=bands_by_level[level],
            design_population=pop,
            design_days=float(days),
            source=str(raw.get("source", data.get("source", ""))),
            confidence=str(raw.get("confidence", data.get("confidence", "sourced"))),
            note=str(raw.get("note", "")),
        )
    return levels


def _design_population(
    pop_spec: Any, reloc: Band | None, level: str, origin: str, problems: list[Problem]
) -> int | None:
    """Resolve ``design_population`` (``upper``, ``lower`` or a number); ``None`` if it cannot be."""
    pop: int | None = None
    if isinstance(pop_spec, int) and not isinstance(pop_spec, bool) and pop_spec > 0:
        pop = pop_spec
    elif pop_spec in ("upper", "lower"):
        if reloc is not None:
            pop = int(reloc.max if (pop_spec == "upper" and reloc.max is not None) else reloc.min)
    else:
        problems.append(Problem(tr("design_population must be 'upper', 'lower' or a positive whole number",
                                   "design_population 必须为 'upper'、'lower' 或正整数"),
                                file=origin, column=f"levels.{level}.design_population", value=str(pop_spec)))  # fmt: skip
    return pop


def load_rules(path_or_name: str | Path) -> ResponseRules:
    """Load response-level rules from a file or a shipped name.

    Parameters
    ----------
    path_or_name
        A TOML file, or ``national_2016`` / ``national_2024``.

    Raises
    ------
    RulesError
        If the file is missing or invalid (all problems listed).
    """
    name = str(path_or_name)
    if name in ("national_2016", "national_2024"):
        text = (files("logistics") / "data" / "response_levels" / f"{name}.toml").read_text(encoding="utf-8")
        origin = f"logistics/data/response_levels/{name}.toml"
    else:
        p = Path(path_or_name)
        if not p.exists():
            raise RulesError([Problem(tr("rules file not found", "未找到规则文件"), file=str(p))])
        text = p.read_text(encoding="utf-8")
        origin = str(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(
            [Problem(tr(f"invalid TOML: {exc}", f"TOML 格式错误：{exc}"), file=origin)]
        ) from None
    return rules_from_dict(data, origin=origin)
