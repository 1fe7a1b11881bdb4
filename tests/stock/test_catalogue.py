"""Relief-item catalogue: completeness, agreement with the researched reference, overrides."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest

from logistics.exceptions import CatalogueError
from logistics.region import load_region
from logistics.stock import CONFIDENCE_LEVELS, NORM_BASES, load_catalogue
from tests.helpers import shared_path


@pytest.fixture(scope="module")
def cat():
    """The built-in catalogue."""
    return load_catalogue()


def test_every_item_is_complete(cat) -> None:
    assert len(cat) >= 15
    for item in cat:
        assert item.name_zh and item.name_en and item.unit and item.category
        assert item.norm.basis in NORM_BASES
        assert item.norm.confidence in CONFIDENCE_LEVELS
        # every norm states a source unless it is openly an assumption
        assert item.norm.source or item.norm.confidence == "assumed", item.id
        assert item.weight_kg.value is not None and item.weight_kg.value > 0, item.id
        assert item.volume_m3.value is not None and item.volume_m3.value > 0, item.id
        for fact in (item.weight_kg, item.volume_m3, item.shelf_life_days, item.unit_price_cny):
            assert fact.confidence in CONFIDENCE_LEVELS
            if fact.value is not None and fact.confidence != "assumed":
                assert fact.source.startswith("http"), (item.id, fact)


def test_agrees_with_researched_reference(cat) -> None:
    yaml = pytest.importorskip("yaml")
    ref = yaml.safe_load(shared_path("reference", "relief-norms.yaml").read_text(encoding="utf-8"))
    checked = 0
    for item_id, r in ref["items"].items():
        item = cat[item_id]
        norm = r["norm"]
        assert item.norm.basis == norm["basis"], item_id
        if norm["basis"] == "per_n_persons":
            assert item.norm.persons_per_unit == norm["persons_per_unit"]
        else:
            assert item.norm.quantity == pytest.approx(norm["quantity"])
        assert item.norm.confidence == r["confidence"], item_id  # inferred stays visible
        for key in ("unit_weight_kg", "unit_volume_m3", "shelf_life_days", "unit_cost_cny"):
            v = (r.get(key) or {}).get("value")
            if v is None:
                continue
            mine = {
                "unit_weight_kg": item.weight_kg,
                "unit_volume_m3": item.volume_m3,
                "shelf_life_days": item.shelf_life_days,
                "unit_cost_cny": item.unit_price_cny,
            }[key]
            assert mine.value == pytest.approx(v), (item_id, key)
            assert mine.confidence == r[key]["confidence"], (item_id, key)
        checked += 1
    assert checked == len(ref["items"]) >= 14
    hh = ref["household_size"]["default"]
    assert cat.household_size.value == hh["value"]


#: catalogue fact attribute for each fact of the reference's items
_REF_FACTS = {
    "unit_weight_kg": "weight_kg",
    "unit_volume_m3": "volume_m3",
    "shelf_life_days": "shelf_life_days",
    "unit_cost_cny": "unit_price_cny",
}


def _reference_norms() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(shared_path("reference", "relief-norms.yaml").read_text(encoding="utf-8"))


def _sources(node) -> list[str]:
    """Every non-empty ``source`` value in a parsed TOML structure."""
    if isinstance(node, dict):
        out = [node["source"]] if isinstance(node.get("source"), str) and node["source"] else []
        return out + [s for k, v in node.items() if k != "source" for s in _sources(v)]
    if isinstance(node, list):
        return [s for v in node for s in _sources(v)]
    return []


def test_every_cited_value_matches_the_reference(cat) -> None:
    """Norm, weight, volume, shelf life and price of every reference item, including empty values."""
    ref = _reference_norms()
    wrong: list[str] = []
    for item_id, r in ref["items"].items():
        item = cat[item_id]
        norm = r["norm"]
        if item.norm.basis != norm["basis"]:
            wrong.append(f"{item_id}.norm.basis: {item.norm.basis} != {norm['basis']}")
        elif norm["basis"] == "per_n_persons" and item.norm.persons_per_unit != norm["persons_per_unit"]:
            wrong.append(f"{item_id}.norm.persons_per_unit")
        elif norm["basis"] != "per_n_persons" and item.norm.quantity != pytest.approx(norm["quantity"]):
            wrong.append(f"{item_id}.norm.quantity")
        if (item.norm.source, item.norm.confidence) != (r["source"], r["confidence"]):
            wrong.append(f"{item_id}.norm cites {item.norm.source!r} ({item.norm.confidence})")
        for key, attr in _REF_FACTS.items():
            mine = getattr(item, attr)
            theirs = r.get(key) or {}
            if theirs.get("value") is None:
                # left empty (or absent) in the reference: no value, or a placeholder marked
                # assumed that cites nothing
                if mine.value is not None and (mine.confidence != "assumed" or mine.source):
                    wrong.append(f"{item_id}.{attr}: {mine.value} cites {mine.source!r} ({mine.confidence}), "
                                 "the reference has no value")  # fmt: skip
                continue
            if mine.value is None or mine.value != pytest.approx(theirs["value"]):
                wrong.append(f"{item_id}.{attr}: {mine.value} != {theirs['value']}")
            if (mine.source, mine.confidence) != (theirs["source"], theirs["confidence"]):
                wrong.append(f"{item_id}.{attr} cites {mine.source!r} ({mine.confidence}), "
                             f"the reference {theirs['source']!r} ({theirs['confidence']})")  # fmt: skip
    hh = ref["household_size"]["default"]
    mine_hh = cat.household_size
    if (mine_hh.value, mine_hh.source, mine_hh.confidence) != (hh["value"], hh["source"], hh["confidence"]):
        wrong.append(f"household_size: {mine_hh}")
    assert not wrong, "\n".join(wrong)


def test_assumed_lamp_shelf_life_cites_nothing(cat) -> None:
    shelf = cat["emergency_light"].shelf_life_days
    assert shelf.value == 1095 and shelf.confidence == "assumed" and shelf.source == ""


def test_every_cited_url_is_in_the_reference(cat) -> None:
    """Items the reference does not list still cite only pages the research read; assumed cites nothing."""
    ref_text = shared_path("reference", "relief-norms.yaml").read_text(encoding="utf-8")
    ref_text += shared_path("reference", "relief-standards.md").read_text(encoding="utf-8")
    raw = tomllib.loads((files("logistics") / "data" / "catalogue.toml").read_text(encoding="utf-8"))
    unknown = sorted({u for u in _sources(raw) if u not in ref_text})
    assert not unknown, unknown
    for item in cat:
        facts = [item.weight_kg, item.volume_m3, item.shelf_life_days, item.unit_price_cny]
        facts += [f for _, f in item.unit_conversions]
        for fact in facts:
            if fact.confidence == "assumed":
                assert fact.source == "", (item.id, fact)
        if item.norm.confidence == "assumed":
            assert item.norm.source == "", item.id


def test_lookup_by_names(cat) -> None:
    assert cat.find("帐篷").id == "tent_12m2_single"
    assert cat.find(" 矿泉水 ").id == "drinking_water"
    assert cat.find("Quilt").id == "quilt"
    assert cat.find("no such thing") is None
    assert "12㎡单帐篷" in cat.suggest("帐蓬")


@pytest.mark.parametrize(
    ("item_id", "persons", "days", "expected"),
    [
        ("tent_12m2_single", 5000, 15, 1924),  # ceil(5000 / 2.6)
        ("tent_toilet", 5000, 15, 100),  # 1 per 50
        ("quilt", 5000, 15, 5000),
        ("drinking_water", 5000, 15, 225000),  # 3 L x 75 000 person-days
        ("staple_food", 5000, 15, 37500),
        ("flashlight", 5001, 1, 501),  # ceil(5001 / 10)
        ("compressed_biscuit", 100, 1, 47),
    ],
)
def test_requirement_hand_worked(cat, item_id, persons, days, expected) -> None:
    assert cat[item_id].requirement(persons, days, 2.6) == expected


def test_region_overrides_norm(tmp_path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "id,name,level,lon,lat,item,quantity\nD1,库,县,119.0,39.9,帐篷,满足300人3天\n", encoding="utf-8"
    )
    (tmp_path / "region.toml").write_text(
        'name = "测试"\n[inventory]\nfiles = ["inv.csv"]\n'
        '[norms."帐篷"]\nnorm = { basis = "per_n_persons", persons_per_unit = 3, source = "https://example.org", confidence = "inferred" }\n',
        encoding="utf-8",
    )
    region = load_region(tmp_path)
    assert region.catalogue["tent_12m2_single"].norm.persons_per_unit == 3
    assert region.inventory().lines[0].quantity == 100


def test_bad_override_is_rejected(tmp_path) -> None:
    (tmp_path / "inv.csv").write_text(
        "id,name,level,lon,lat,item,quantity\nD1,库,县,119,39.9,棉被,1床\n", encoding="utf-8"
    )
    (tmp_path / "region.toml").write_text(
        'name = "t"\n[inventory]\nfiles = ["inv.csv"]\n[norms."棉被"]\nnorm = { basis = "per_person", quantity = -1, source = "", confidence = "sourced" }\n'
        '[norms."不存在"]\nweight_kg = { value = 1 }\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="2 problems") as exc:
        load_region(tmp_path)
    assert "norms.棉被" in str(exc.value) and "unknown item" in str(exc.value)
