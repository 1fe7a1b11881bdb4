"""Emergency relief stockpile and relief-logistics optimiser (应急物资储备与调配).

The public API is re-exported here. Heavy modules (pandas, geopandas, OR-Tools)
are imported lazily on first attribute access so that ``import logistics`` and
the command line start quickly.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("logistics")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

#: public name -> module that defines it
_LAZY: dict[str, str] = {
    "parse_quantity": "logistics.quantity",
    "Count": "logistics.quantity",
    "Capacity": "logistics.quantity",
    "parse_chinese_number": "logistics.numerals",
    "format_chinese_number": "logistics.numerals",
    "Catalogue": "logistics.catalogue",
    "Item": "logistics.catalogue",
    "Norm": "logistics.catalogue",
    "load_catalogue": "logistics.catalogue",
    "Depot": "logistics.inventory",
    "InventoryLine": "logistics.inventory",
    "Inventory": "logistics.inventory",
    "ReserveType": "logistics.inventory",
    "inventory_from_file": "logistics.inventory_io",
    "Region": "logistics.region",
    "load_region": "logistics.region",
    "demo_region": "logistics.region",
    "AllocationProblem": "logistics.allocation",
    "AllocationParams": "logistics.allocation",
    "Substitution": "logistics.allocation",
    "solve_allocation": "logistics.allocation",
    "AllocationResult": "logistics.allocation_result",
    "build_schedule": "logistics.allocation_schedule",
    "fefo_assign": "logistics.allocation_schedule",
    "Batch": "logistics.allocation_schedule",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'logistics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
