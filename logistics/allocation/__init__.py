"""Allocation of relief stock from supply sources to demand points by a deadline (LP/MIP)."""

from logistics.allocation._certified import CertifiedRound as CertifiedRound
from logistics.allocation.fefo import Batch as Batch
from logistics.allocation.fefo import BatchPick as BatchPick
from logistics.allocation.fefo import fefo_assign as fefo_assign
from logistics.allocation.hubs import Hub as Hub
from logistics.allocation.params import AllocationParams as AllocationParams
from logistics.allocation.problem import SOURCE_KINDS as SOURCE_KINDS
from logistics.allocation.problem import AllocationProblem as AllocationProblem
from logistics.allocation.problem import Substitution as Substitution
from logistics.allocation.result import REASON_ZH as REASON_ZH
from logistics.allocation.result import REASONS as REASONS
from logistics.allocation.result import AllocationResult as AllocationResult
from logistics.allocation.result import Flow as Flow
from logistics.allocation.result import LaneTrips as LaneTrips
from logistics.allocation.result import Shortfall as Shortfall
from logistics.allocation.result import Transfer as Transfer
from logistics.allocation.result import TruckTrips as TruckTrips
from logistics.allocation.schedule import RoundTrip as RoundTrip
from logistics.allocation.schedule import build_schedule as build_schedule
from logistics.allocation.shares import coverage_terms as coverage_terms
from logistics.allocation.shares import point_met_shares as point_met_shares
from logistics.allocation.solve import solve_allocation as solve_allocation

__all__ = [
    "REASONS",
    "REASON_ZH",
    "SOURCE_KINDS",
    "AllocationParams",
    "AllocationProblem",
    "AllocationResult",
    "Batch",
    "BatchPick",
    "CertifiedRound",
    "Flow",
    "Hub",
    "LaneTrips",
    "RoundTrip",
    "Shortfall",
    "Substitution",
    "Transfer",
    "TruckTrips",
    "build_schedule",
    "coverage_terms",
    "fefo_assign",
    "point_met_shares",
    "solve_allocation",
]
