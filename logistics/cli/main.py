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

from logistics.cli.lang import argparse_language, language, print_warnings, t
from logistics.common.version import __version__
from logistics.exceptions import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.exceptions import Lang

#: Modules that add sub-commands, in the order they appear in ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
    "logistics.cli.quantity",
    "logistics.cli.inventory",
    "logistics.cli.check",
    "logistics.cli.roads",
    "logistics.cli.run",
    "logistics.cli.sweep",
    "logistics.cli.map",
    "logistics.cli.report",
)


def build_parser(lang: Lang | None = None) -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered.

    Parameters
    ----------
    lang
        Language of the help texts and of argparse's messages; from the environment
        (``LOGISTICS_LANG``, default Chinese) when ``None``.
    """
    with argparse_language(lang or language([])):
        parser = argparse.ArgumentParser(
            prog="logistics",
            description=t(
                "Emergency relief stockpile and logistics optimiser (应急物资储备与调配优化工具). "
                "Reads depot inventories, checks stockpile sufficiency against response levels, "
                "and plans allocation and vehicle routes over real road networks.",
                "应急物资储备与调配优化工具：读取各库点库存台账，对照响应级别评估储备是否充足，"
                "并在真实路网上计算物资调配方案与车辆路线。英文界面：--lang en。",
            ),
        )
        parser.add_argument("--version", action="version", version=f"logistics {__version__}")
        parser.add_argument(
            "--lang",
            choices=("zh", "en"),
            default=os.environ.get("LOGISTICS_LANG", "zh"),
            help=t(
                "language of help, messages, reports and console summaries (default zh; env LOGISTICS_LANG)",
                "帮助、提示、报告和屏幕输出的语言（默认 zh 中文；环境变量 LOGISTICS_LANG）",
            ),
        )
        sub = parser.add_subparsers(dest="command", metavar=t("COMMAND", "命令"))
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
    lang = language(argv)
    parser = build_parser(lang)
    with argparse_language(lang):
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version, or a bad argument (usage and message printed)
            return int(exc.code or 0) if not isinstance(exc.code, str) else 2
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
    try:
        with print_warnings(args.lang):
            return int(args.func(args) or 0)
    except InputError as exc:
        prefix = "错误：" if args.lang == "zh" else "error: "
        print(prefix + exc.render(args.lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断，输出目录保持原样。" if args.lang == "zh" else "interrupted; the output folder is unchanged.",
              file=sys.stderr)  # fmt: skip
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
