"""Stockpile sufficiency: response level met in quantity and in time, purchase lists, the check report."""

from logistics.sufficiency.check import CheckParams as CheckParams
from logistics.sufficiency.check import assumed_expiry_note as assumed_expiry_note
from logistics.sufficiency.check import check_text as check_text
from logistics.sufficiency.check import run_check as run_check
from logistics.sufficiency.check import value_at_risk_text as value_at_risk_text
from logistics.sufficiency.purchase import PurchaseLine as PurchaseLine
from logistics.sufficiency.purchase import add_stock as add_stock
from logistics.sufficiency.purchase import purchase_list as purchase_list
from logistics.sufficiency.quantity_check import ItemCheck as ItemCheck
from logistics.sufficiency.quantity_check import LevelCheck as LevelCheck
from logistics.sufficiency.quantity_check import SufficiencyParams as SufficiencyParams
from logistics.sufficiency.quantity_check import SufficiencyResult as SufficiencyResult
from logistics.sufficiency.quantity_check import check_quantity as check_quantity
from logistics.sufficiency.quantity_check import usable_stock as usable_stock
from logistics.sufficiency.time_check import check_time as check_time

__all__ = [
    "CheckParams",
    "ItemCheck",
    "LevelCheck",
    "PurchaseLine",
    "SufficiencyParams",
    "SufficiencyResult",
    "add_stock",
    "assumed_expiry_note",
    "check_quantity",
    "check_text",
    "check_time",
    "purchase_list",
    "run_check",
    "usable_stock",
    "value_at_risk_text",
]
