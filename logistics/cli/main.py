"""Command-line entry point: ``logistics``.

The CLI only parses arguments and calls library functions. Each family of
sub-commands lives in its own module under :mod:`logistics.cli.args` and exposes
``register(subparsers)``; heavy libraries are imported inside the handlers so that
start-up stays light.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import TYPE_CHECKING

from logistics.common.version import __version__
from logistics.exceptions import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

#: Modules that add sub-commands, in the order they appear in ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
    "logistics.cli.quantity",
    "logistics.cli.inventory",
    "logistics.cli.check",
    "logistics.cli.roads",
    "logistics.cli.run",
    "logistics.cli.report",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="logistics",
        description=(
            "应急物资储备与调配优化工具 — emergency relief stockpile and logistics optimiser. "
            "Reads depot inventories, checks stockpile sufficiency against response levels, "
            "and plans allocation and vehicle routes over real road networks."
        ),
    )
    parser.add_argument("--version", action="version", version=f"logistics {__version__}")
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=os.environ.get("LOGISTICS_LANG", "zh"),
        help="language of reports and console summaries (default zh; env LOGISTICS_LANG)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code.

    Exit codes: 0 success, 1 unexpected failure, 2 bad input or usage.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when ``None``.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a bad argument (usage and message printed)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        prefix = "错误" if args.lang == "zh" else "error"
        print(f"{prefix}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断，输出目录保持原样。" if args.lang == "zh" else "interrupted; the output folder is unchanged.",
              file=sys.stderr)  # fmt: skip
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
