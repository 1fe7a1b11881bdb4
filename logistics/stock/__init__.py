"""Relief stock: the item catalogue, quantity phrases, depots and inventories, their files and summaries."""

from logistics.stock.catalogue import CONFIDENCE_LEVELS as CONFIDENCE_LEVELS
from logistics.stock.catalogue import NORM_BASES as NORM_BASES
from logistics.stock.catalogue import Catalogue as Catalogue
from logistics.stock.catalogue import Fact as Fact
from logistics.stock.catalogue import Item as Item
from logistics.stock.catalogue import Norm as Norm
from logistics.stock.catalogue import load_catalogue as load_catalogue
from logistics.stock.catalogue import normalise_name as normalise_name
from logistics.stock.catalogue import whole_persons as whole_persons
from logistics.stock.expiry import AssumedExpiryLine as AssumedExpiryLine
from logistics.stock.expiry import ExpiringLine as ExpiringLine
from logistics.stock.expiry import assumed_expiry_lines as assumed_expiry_lines
from logistics.stock.expiry import expiring_lines as expiring_lines
from logistics.stock.inventory import DEPOT_LEVELS as DEPOT_LEVELS
from logistics.stock.inventory import Depot as Depot
from logistics.stock.inventory import Inventory as Inventory
from logistics.stock.inventory import InventoryLine as InventoryLine
from logistics.stock.inventory import ReserveType as ReserveType
from logistics.stock.inventory import SourceRef as SourceRef
from logistics.stock.inventory_io import DEPOT_COLUMNS as DEPOT_COLUMNS
from logistics.stock.inventory_io import KIT_NAMES as KIT_NAMES
from logistics.stock.inventory_io import LINE_COLUMNS as LINE_COLUMNS
from logistics.stock.inventory_io import InventoryWarning as InventoryWarning
from logistics.stock.inventory_io import inventory_from_files as inventory_from_files
from logistics.stock.inventory_report import depot_summary as depot_summary
from logistics.stock.inventory_report import inventory_text as inventory_text
from logistics.stock.inventory_report import item_summary as item_summary
from logistics.stock.inventory_report import write_inventory as write_inventory
from logistics.stock.numerals import ARABIC_DIGITS as ARABIC_DIGITS
from logistics.stock.numerals import BIG_UNITS as BIG_UNITS
from logistics.stock.numerals import CHINESE_DIGITS as CHINESE_DIGITS
from logistics.stock.numerals import NUMERAL_CHARS as NUMERAL_CHARS
from logistics.stock.numerals import SMALL_UNITS as SMALL_UNITS
from logistics.stock.numerals import NumeralError as NumeralError
from logistics.stock.numerals import format_chinese_number as format_chinese_number
from logistics.stock.numerals import parse_chinese_number as parse_chinese_number
from logistics.stock.quantity import COUNT_UNITS as COUNT_UNITS
from logistics.stock.quantity import MEASURE_UNITS as MEASURE_UNITS
from logistics.stock.quantity import Capacity as Capacity
from logistics.stock.quantity import Count as Count
from logistics.stock.quantity import parse_quantity as parse_quantity

__all__ = [
    "ARABIC_DIGITS",
    "BIG_UNITS",
    "CHINESE_DIGITS",
    "CONFIDENCE_LEVELS",
    "COUNT_UNITS",
    "DEPOT_COLUMNS",
    "DEPOT_LEVELS",
    "KIT_NAMES",
    "LINE_COLUMNS",
    "MEASURE_UNITS",
    "NORM_BASES",
    "NUMERAL_CHARS",
    "SMALL_UNITS",
    "AssumedExpiryLine",
    "Capacity",
    "Catalogue",
    "Count",
    "Depot",
    "ExpiringLine",
    "Fact",
    "Inventory",
    "InventoryLine",
    "InventoryWarning",
    "Item",
    "Norm",
    "NumeralError",
    "ReserveType",
    "SourceRef",
    "assumed_expiry_lines",
    "depot_summary",
    "expiring_lines",
    "format_chinese_number",
    "inventory_from_files",
    "inventory_text",
    "item_summary",
    "load_catalogue",
    "normalise_name",
    "parse_chinese_number",
    "parse_quantity",
    "whole_persons",
    "write_inventory",
]
