"""Robustness sweeps and critical roads (抢通优先序): many plans of one scenario, on Dask."""

from logistics.sweep.critical import CriticalParams as CriticalParams
from logistics.sweep.critical import CriticalResult as CriticalResult
from logistics.sweep.critical import closed_value as closed_value
from logistics.sweep.critical import link_bounds as link_bounds
from logistics.sweep.critical_run import critical_roads as critical_roads
from logistics.sweep.links import RoadLinks as RoadLinks
from logistics.sweep.links import road_links as road_links
from logistics.sweep.run import SweepParams as SweepParams
from logistics.sweep.run import SweepResult as SweepResult
from logistics.sweep.run import run_sweep as run_sweep
from logistics.sweep.spec import DEFAULTS as DEFAULTS
from logistics.sweep.spec import SweepSpec as SweepSpec
from logistics.sweep.spec import sweep_spec as sweep_spec
from logistics.sweep.summary import sweep_summary as sweep_summary
from logistics.sweep.summary import sweep_table as sweep_table
from logistics.sweep.variants import SweepBase as SweepBase
from logistics.sweep.variants import Variant as Variant
from logistics.sweep.variants import draw_variant as draw_variant
from logistics.sweep.variants import evaluate_variant as evaluate_variant
from logistics.sweep.variants import sweep_base as sweep_base

__all__ = [
    "DEFAULTS",
    "CriticalParams",
    "CriticalResult",
    "RoadLinks",
    "SweepBase",
    "SweepParams",
    "SweepResult",
    "SweepSpec",
    "Variant",
    "closed_value",
    "critical_roads",
    "draw_variant",
    "evaluate_variant",
    "link_bounds",
    "road_links",
    "run_sweep",
    "sweep_base",
    "sweep_spec",
    "sweep_summary",
    "sweep_table",
]
