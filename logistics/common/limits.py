"""Bounds on input sizes and magnitudes (documented in docs/limits.md).

Inputs beyond these are refused early with a located error, so that no file makes a command
hang, exhaust memory or carry a number no plan could mean.
"""

from __future__ import annotations

__all__ = [
    "MAX_CAPACITY_KG",
    "MAX_CAPACITY_M3",
    "MAX_DEMAND_POINTS",
    "MAX_DIGITS",
    "MAX_FILE_BYTES",
    "MAX_HOURS",
    "MAX_PERSONS",
    "MAX_QUANTITY",
    "MAX_TEXT_CHARS",
    "MAX_TRUCKS",
]

#: Demand points in one scenario (a province has about 2,200 townships).
MAX_DEMAND_POINTS = 20_000
#: Digits in one number (a quantity, a coordinate): 15 significant digits is what a float holds.
MAX_DIGITS = 15
#: Size of one input file (scenario, inventory, fleet, points, configuration), bytes.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Hours after onset for deadlines, reopenings, delays, windows and opening hours (60 days).
MAX_HOURS = 1_440.0
#: Persons at one demand point.
MAX_PERSONS = 50_000_000
#: Units (or litres, kilograms) on one inventory line or one what-if addition.
MAX_QUANTITY = 1e12
#: Characters of one quantity cell.
MAX_TEXT_CHARS = 200
#: Trucks of one type at one depot.
MAX_TRUCKS = 10_000
#: Payload of one truck, kg, and its cargo volume, m³ (the largest road trucks carry ~50 t).
MAX_CAPACITY_KG = 200_000.0
MAX_CAPACITY_M3 = 1_000.0
