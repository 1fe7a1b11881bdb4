"""Language of the command line: Chinese by default, English with ``--lang en``.

The language is known before the parser is built (:func:`language` reads ``--lang`` from the
arguments, then ``LOGISTICS_LANG``), so help texts, argparse's own words ("usage", "options",
"the following arguments are required"), errors and warnings all come in one language.
Sub-command modules write every help text once in both languages with :func:`t`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from typing import TYPE_CHECKING, Any

from logistics.exceptions import LogisticsWarning, say

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from logistics.exceptions import Lang

__all__ = ["argparse_language", "language", "print_warnings", "t"]

_current: list[Lang] = ["zh"]

#: argparse's own messages (Python 3.10–3.13) in Chinese
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "至多一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了显式参数 %r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可匹配 %(matches)s",
    "one of the arguments %s is required": "参数 %s 必须给出其一",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}


def language(argv: Sequence[str] | None = None) -> Lang:
    """Return the language asked for: ``--lang``, else ``LOGISTICS_LANG``, else Chinese.

    Parameters
    ----------
    argv
        Command-line arguments without the program name (``sys.argv[1:]`` when ``None``).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(args):
        if a == "--":
            break
        value = a.split("=", 1)[1] if a.startswith("--lang=") else None
        if a == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in ("zh", "en"):
            return value  # type: ignore[return-value]
    env = os.environ.get("LOGISTICS_LANG", "zh")
    return "en" if env == "en" else "zh"


def t(en: str, zh: str) -> str:
    """Return the text in the language of the parser being built or run.

    Parameters
    ----------
    en
        English text.
    zh
        Simplified-Chinese text.
    """
    return zh if _current[0] == "zh" else en


@contextlib.contextmanager
def argparse_language(lang: Lang) -> Iterator[None]:
    """Build and run parsers in ``lang``: :func:`t` and argparse's own messages follow it."""
    saved = (_current[0], argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    _current[0] = lang
    if lang == "zh":
        argparse._ = lambda s: ARGPARSE_ZH.get(s, s)  # type: ignore[attr-defined]
        argparse.ngettext = lambda s, p, n: ARGPARSE_ZH.get(s if n == 1 else p, s if n == 1 else p)
    try:
        yield
    finally:
        _current[0], argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


@contextlib.contextmanager
def print_warnings(lang: Lang) -> Iterator[None]:
    """Show the project's warnings and notes on stderr, once each, as ``警告：…`` in ``lang``."""
    seen: set[str] = set()
    prefix = "警告：" if lang == "zh" else "warning: "

    def show(message: Any, category: type[Warning], *args: Any, **kw: Any) -> None:
        if not issubclass(category, LogisticsWarning):
            original(message, category, *args, **kw)
            return
        text = say(message, lang)
        if text not in seen:
            seen.add(text)
            print(prefix + text, file=sys.stderr)

    with warnings.catch_warnings():
        original = warnings.showwarning
        warnings.simplefilter("always", LogisticsWarning)
        warnings.showwarning = show
        yield
