"""A region's definition: places, households, response-level rules, mutual-aid partners, the demo region."""

from logistics.region.levels import CRITERIA as CRITERIA
from logistics.region.levels import LEVEL_NAMES_ZH as LEVEL_NAMES_ZH
from logistics.region.levels import RESPONSE_LEVELS as RESPONSE_LEVELS
from logistics.region.levels import Band as Band
from logistics.region.levels import LevelRule as LevelRule
from logistics.region.levels import ResponseRules as ResponseRules
from logistics.region.levels import load_rules as load_rules
from logistics.region.levels import parse_level as parse_level
from logistics.region.region import MutualAidPartner as MutualAidPartner
from logistics.region.region import Place as Place
from logistics.region.region import Region as Region
from logistics.region.region import demo_region as demo_region
from logistics.region.region import inventory_from_file as inventory_from_file
from logistics.region.region import load_region as load_region

__all__ = [
    "CRITERIA",
    "LEVEL_NAMES_ZH",
    "RESPONSE_LEVELS",
    "Band",
    "LevelRule",
    "MutualAidPartner",
    "Place",
    "Region",
    "ResponseRules",
    "demo_region",
    "inventory_from_file",
    "load_region",
    "load_rules",
    "parse_level",
]
