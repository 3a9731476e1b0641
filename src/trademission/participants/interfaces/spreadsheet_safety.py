"""Formula injection: cells that a spreadsheet would run as a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK("http://evil", "Click")``,
``=cmd|' /C calc'!A0``). Imports reject such cells; exports neutralise them. Any exporter
(XLSX or CSV) should write its text through :func:`neutralise`.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def is_formula_like(value: Any) -> bool:
    """True for text that a spreadsheet would evaluate (numbers are never formulas)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def is_plain_number(value: str) -> bool:
    """``-73.56`` or ``+45,5``: a signed number, harmless in a numeric column."""
    return bool(_PLAIN_NUMBER.match(value.strip()))


def neutralise(value: Any) -> Any:
    """The value to write into a spreadsheet cell: formula-like text gets a leading apostrophe.

    The apostrophe is the spreadsheet convention for "this is text"; the cell keeps the
    string data type, so nothing is evaluated when the file is opened. Other values (numbers,
    dates, None) are returned unchanged.
    """
    if is_formula_like(value):
        return "'" + value
    return value
