"""The ``logistics`` command line (argument parsing and console text only)."""

from logistics.cli.main import build_parser as build_parser
from logistics.cli.main import main as main

__all__ = ["build_parser", "main"]
