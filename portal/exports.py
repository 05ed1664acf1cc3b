"""The one export path: any list as CSV or XLSX through tablib, with the same cells as the page."""

from urllib.parse import quote

import tablib
from django.http import HttpResponse
from django.utils import timezone

from .audit import Kind, record_download

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dataset_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """``dataset`` as ``filename.<fmt>`` for download; the name carries the time it was taken. Audited."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    record_download(filename, kind=Kind.EXPORT, format=fmt, rows=dataset.height)
    # A byte-order mark so that Excel on Chinese Windows opens the CSV as UTF-8.
    body = ("\ufeff" + dataset.export("csv")).encode("utf-8") if fmt == "csv" else dataset.export("xlsx")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.{fmt}')}"
    return response


def rows_dataset(headers, rows, title="") -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[str(header) for header in headers], title=str(title)[:31])
    for row in rows:
        dataset.append(["" if cell is None else cell for cell in row])
    return dataset


def table_dataset(table, title="") -> tablib.Dataset:
    """A django-tables2 table's whole data (not one page) as the page draws it, action columns left out."""
    values = table.as_values(exclude_columns=getattr(table, "export_exclude", ()))
    headers = next(values)
    return rows_dataset(headers, values, title)
