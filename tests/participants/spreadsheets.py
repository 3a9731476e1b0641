"""Writing small XLSX and CSV files for the import tests (no fixture files in the repository)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

HEADERS = [
    "Organisation",
    "Type",
    "Ville",
    "Besoins",
    "Latitude",
    "Longitude",
    "Courriel",
    "Contact",
]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: Sequence[Sequence[Any]], **kwargs: Any) -> Path:
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def good_rows() -> list[list[Any]]:
    """Three stakeholders of the Canada mission, French headers, one contact each."""
    return [
        list(HEADERS),  # a copy: tests change headers in place
        [
            "Thales Canada",
            "Prime contractor",
            "Montréal",
            "Capteurs infrarouges",
            45.5,
            -73.6,
            "a@thales.example",
            "Anne Roy",
        ],
        [
            "Université Laval",
            "Université",
            "Québec",
            "Optique",
            "46.78",
            "-71.27",
            "b@ulaval.example",
            "Marc Dubé",
        ],
        ["Kinaxis", "integrator", "Ottawa", "Supply chain software", None, None, "", ""],
    ]
