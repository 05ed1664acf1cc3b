"""A report table as CSV or XLSX, with the same cells as the page."""

import tablib
from django.http import HttpResponse

from .content import Table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_dataset(table: Table) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[str(column) for column in table.columns], title=str(table.title)[:31])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        dataset.append(["" if cell is None else cell for cell in row])
    return dataset


def table_response(table: Table, fmt: str, filename: str) -> HttpResponse:
    dataset = table_dataset(table)
    # A byte-order mark so that Excel opens the Chinese CSV as UTF-8.
    body = ("\ufeff" + dataset.export("csv")).encode("utf-8") if fmt == "csv" else dataset.export("xlsx")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}.{fmt}"
    return response
