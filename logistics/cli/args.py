"""Sub-command modules of the ``logistics`` command line (argument parsing only)."""

from __future__ import annotations

import argparse
import datetime as dt


def parse_date(text: str) -> dt.date:
    """Argparse type for ``YYYY-MM-DD`` dates.

    Parameters
    ----------
    text
        The argument.
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
