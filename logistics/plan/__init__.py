"""The run of a scenario: supply sources and matrices, allocation, routes and the summary."""

from logistics.plan.deliver import RoadClock as RoadClock
from logistics.plan.deliver import routing_problem as routing_problem
from logistics.plan.deliver import shipments_from_allocation as shipments_from_allocation
from logistics.plan.hubs import forward_shipments as forward_shipments
from logistics.plan.hubs import hub_receipts as hub_receipts
from logistics.plan.hubs import hub_section as hub_section
from logistics.plan.model import PRODUCTION_BLOCK_H as PRODUCTION_BLOCK_H
from logistics.plan.model import ScenarioModel as ScenarioModel
from logistics.plan.model import SupplySource as SupplySource
from logistics.plan.model import build_scenario_model as build_scenario_model
from logistics.plan.model import disruptions_of as disruptions_of
from logistics.plan.model import scenario_network as scenario_network
from logistics.plan.refill import covered_by_deadline as covered_by_deadline
from logistics.plan.refill import later_shipments as later_shipments
from logistics.plan.refill import residual_problem as residual_problem
from logistics.plan.routed import UNMET_REASON_ZH as UNMET_REASON_ZH
from logistics.plan.routed import Delivery as Delivery
from logistics.plan.routed import Plan as Plan
from logistics.plan.routed import UnmetLine as UnmetLine
from logistics.plan.routed import build_plan as build_plan
from logistics.plan.run import RunParams as RunParams
from logistics.plan.run import RunResult as RunResult
from logistics.plan.run import allocation_params as allocation_params
from logistics.plan.run import plan_model as plan_model
from logistics.plan.run import run_scenario as run_scenario
from logistics.plan.run import with_deadline as with_deadline
from logistics.plan.run import without_hubs as without_hubs
from logistics.plan.shares import coverage as coverage
from logistics.plan.shares import headline_share as headline_share
from logistics.plan.shares import point_met_shares as point_met_shares
from logistics.plan.shares import unit_values as unit_values
from logistics.plan.summary import build_summary as build_summary

__all__ = [
    "PRODUCTION_BLOCK_H",
    "UNMET_REASON_ZH",
    "Delivery",
    "Plan",
    "RoadClock",
    "RunParams",
    "RunResult",
    "ScenarioModel",
    "SupplySource",
    "UnmetLine",
    "allocation_params",
    "build_plan",
    "build_scenario_model",
    "build_summary",
    "coverage",
    "covered_by_deadline",
    "disruptions_of",
    "forward_shipments",
    "headline_share",
    "hub_receipts",
    "hub_section",
    "later_shipments",
    "plan_model",
    "point_met_shares",
    "residual_problem",
    "routing_problem",
    "run_scenario",
    "scenario_network",
    "shipments_from_allocation",
    "unit_values",
    "with_deadline",
    "without_hubs",
]
