"""Shared helpers at the bottom of the package: atomic files, locks, console tables, table input, coordinates, data paths."""

from logistics.common.atomic import OUTPUT_MARKER as OUTPUT_MARKER
from logistics.common.atomic import atomic_dir as atomic_dir
from logistics.common.atomic import atomic_path as atomic_path
from logistics.common.atomic import check_output_dir as check_output_dir
from logistics.common.atomic import write_text_atomic as write_text_atomic
from logistics.common.cells import FORMULA_TRIGGERS as FORMULA_TRIGGERS
from logistics.common.cells import csv_cell as csv_cell
from logistics.common.cells import is_formula_text as is_formula_text
from logistics.common.cells import neutralise_workbook as neutralise_workbook
from logistics.common.cells import save_workbook as save_workbook
from logistics.common.cells import write_csv as write_csv
from logistics.common.cells import write_frame_csv as write_frame_csv
from logistics.common.console import display_width as display_width
from logistics.common.console import format_table as format_table
from logistics.common.coords import CHINA_BBOX as CHINA_BBOX
from logistics.common.coords import CRS_NAMES as CRS_NAMES
from logistics.common.coords import bd09_to_gcj02 as bd09_to_gcj02
from logistics.common.coords import bd09_to_wgs84 as bd09_to_wgs84
from logistics.common.coords import gcj02_to_wgs84 as gcj02_to_wgs84
from logistics.common.coords import in_china_bbox as in_china_bbox
from logistics.common.coords import normalise_crs as normalise_crs
from logistics.common.coords import to_wgs84 as to_wgs84
from logistics.common.coords import wgs84_to_gcj02 as wgs84_to_gcj02
from logistics.common.lock import run_lock as run_lock
from logistics.common.parallel import Background as Background
from logistics.common.parallel import available_cores as available_cores
from logistics.common.parallel import import_in_background as import_in_background
from logistics.common.parallel import in_background as in_background
from logistics.common.parallel import map_ordered as map_ordered
from logistics.common.paths import data_root as data_root
from logistics.common.paths import demo_region_path as demo_region_path
from logistics.common.printing import SIGNATURE as SIGNATURE
from logistics.common.printing import apply_number_formats as apply_number_formats
from logistics.common.printing import apply_print_layout as apply_print_layout
from logistics.common.printing import mark_header_row as mark_header_row
from logistics.common.printing import one_page as one_page
from logistics.common.tables import Table as Table
from logistics.common.tables import normalise_header as normalise_header
from logistics.common.tables import read_tables as read_tables
from logistics.common.version import __version__ as __version__

__all__ = [
    "CHINA_BBOX",
    "CRS_NAMES",
    "FORMULA_TRIGGERS",
    "OUTPUT_MARKER",
    "Background",
    "Table",
    "__version__",
    "apply_number_formats",
    "apply_print_layout",
    "atomic_dir",
    "atomic_path",
    "available_cores",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "check_output_dir",
    "csv_cell",
    "data_root",
    "demo_region_path",
    "display_width",
    "format_table",
    "gcj02_to_wgs84",
    "import_in_background",
    "in_background",
    "in_china_bbox",
    "is_formula_text",
    "map_ordered",
    "mark_header_row",
    "neutralise_workbook",
    "normalise_crs",
    "normalise_header",
    "read_tables",
    "run_lock",
    "save_workbook",
    "to_wgs84",
    "wgs84_to_gcj02",
    "write_csv",
    "write_frame_csv",
    "write_text_atomic",
]
