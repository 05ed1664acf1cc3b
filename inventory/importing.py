"""Reading an existing ledger (CSV/XLSX in the hospital's own layout, Snipe-IT or GLPI export) into Equipment.

Upload parses the file into rows kept on an EquipmentImport, set up from its source's profile; the mapping page
maps its columns and values to ours (inventory.import_mapping); validation lists every bad row by number; the
import writes everything in one transaction or nothing and remembers the choices on the profile.
"""

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from ipaddress import ip_address

import openpyxl
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.models import Department, User
from portal.models import NumberSequence

from .import_mapping import (
    NEW,
    STATUS_ALIASES,
    SYNONYMS,
    VALUE_FIELDS,
    create_categories,
    parse_amount,
    parse_date,
    remember,
)
from .models import Equipment, EquipmentCategory, EquipmentImport, LedgerEntry

# Our columns, in template order: field -> header in the template.
COLUMNS = {
    "asset_no": gettext_lazy("Asset number"),
    "category": gettext_lazy("Category"),
    "brand": gettext_lazy("Brand"),
    "model_name": gettext_lazy("Model"),
    "serial_no": gettext_lazy("Serial number"),
    "department": gettext_lazy("Using department"),
    "custodian": gettext_lazy("Custodian"),
    "building": gettext_lazy("Building"),
    "floor": gettext_lazy("Floor"),
    "room": gettext_lazy("Room"),
    "ip_address": gettext_lazy("IP address"),
    "mac_address": gettext_lazy("MAC address"),
    "purchase_date": gettext_lazy("Purchase date"),
    "price": gettext_lazy("Price (yuan)"),
    "supplier": gettext_lazy("Supplier"),
    "warranty_end": gettext_lazy("Warranty end date"),
    "warranty_months": gettext_lazy("Warranty (months)"),
    "status": gettext_lazy("Status"),
    "notes": gettext_lazy("Notes"),
}
REQUIRED = ("category",)

MAX_WARRANTY_MONTHS = 240
# Rows above this size are imported by the Celery worker, with progress on the page.
BACKGROUND_ROWS = 300
PROGRESS_EVERY = 500


class UnreadableFile(Exception):
    pass


def _decode(raw: bytes) -> str:
    # GBK writes a Chinese character as two high bytes; a Latin-1 export (GLPI in French) one accent between letters.
    runs = re.findall(rb"[\x80-\xff]+", raw)
    latin = runs and sum(len(run) == 1 for run in runs) * 2 > len(runs)
    for encoding in ("utf-8-sig", "cp1252" if latin else "gb18030", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor GBK text. Save it as CSV (UTF-8) or XLSX and try again."))


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(name: str, raw: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a CSV or XLSX file; UnreadableFile with a message the user understands."""
    if raw[:2] == b"PK":
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as error:
            raise UnreadableFile(
                _("The Excel file cannot be read. Open it in Excel and save it again as .xlsx.")
            ) from error
        sheet = book.worksheets[0]
        table = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    elif raw[:4] == b"\xd0\xcf\x11\xe0":
        raise UnreadableFile(_("Old .xls files are not supported. Save the sheet as .xlsx or CSV and try again."))
    else:
        text = _decode(raw)
        if "\x00" in text:
            raise UnreadableFile(_("The file is not a CSV or XLSX table."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = [[value.strip() for value in row] for row in csv.reader(io.StringIO(text), dialect)]
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise UnreadableFile(_("The file has no rows under its header line."))
    headers = [header or _("Column %(n)s") % {"n": n} for n, header in enumerate(table[0], start=1)]
    rows = [(row + [""] * len(headers))[: len(headers)] for row in table[1:]]
    return headers, rows


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Our field -> their column header, from our template's headers or a known synonym."""
    known = {}
    for field, label in COLUMNS.items():
        known[str(label).lower()] = field
        known[field] = field
        for synonym in SYNONYMS[field]:
            known.setdefault(synonym.lower(), field)
    mapping = {}
    for header in headers:
        field = known.get(header.strip().lower())
        if field and field not in mapping:
            mapping[field] = header
    return mapping


def template_rows():
    return [str(label) for label in COLUMNS.values()], [
        "",
        "台式电脑",
        "联想",
        "启天M430",
        "PC0A1B2C3",
        "内科",
        "",
        "门诊楼",
        "3F",
        "302诊室",
        "10.12.3.45",
        "3C:52:82:1A:2B:3C",
        "2025-03-18",
        "4980.00",
        "联想(北京)有限公司",
        "2028-03-17",
        "",
        "在用",
        "",
    ]


class _Lookups:
    """Every reference table read once, so validating 10,000 rows takes a handful of queries."""

    def __init__(self):
        self.categories = {}
        for category in EquipmentCategory.objects.all():
            for key in (category.code, category.name):
                self.categories[key.lower()] = category
        self.departments = {}
        for department in Department.objects.all():
            for key in (department.code, department.name):
                self.departments[key.lower()] = department
        self.users = {}
        for user in User.objects.filter(is_active=True):
            for key in (user.username, user.employee_no, user.full_name):
                if key:
                    self.users.setdefault(key.lower(), user)
        self.statuses = {}
        for value, label in Equipment.Status.choices:
            self.statuses[value] = value
            self.statuses[str(label).lower()] = value
        for label, value in STATUS_ALIASES.items():
            self.statuses.setdefault(label, value)
        self.serials = set(
            Equipment.objects.exclude(serial_no="").values_list("serial_no", flat=True).iterator(chunk_size=5000)
        )
        self.asset_nos = set(Equipment.objects.values_list("asset_no", flat=True).iterator(chunk_size=5000))


def _validate_row(values, lookups, seen_serials, seen_assets, batch):
    """(fields for Equipment, list of reasons) for one row given as {field: text}."""
    fields, problems = {}, []

    def text(field, limit):
        value = values.get(field, "")
        if len(value) > limit:
            problems.append(_("%(column)s is longer than %(n)s characters.") % {"column": COLUMNS[field], "n": limit})
        return value[:limit]

    for field in REQUIRED:
        if not values.get(field):
            problems.append(_("%(column)s is empty.") % {"column": COLUMNS[field]})
    category = values.get("category", "")
    if category:
        fields["category"] = lookups.categories.get(category.lower())
        if fields["category"] is None:
            problems.append(_("Unknown category “%(value)s”.") % {"value": category})
    department = values.get("department", "")
    if department:
        fields["department"] = lookups.departments.get(department.lower())
        if fields["department"] is None:
            problems.append(_("Unknown department “%(value)s”.") % {"value": department})
    custodian = values.get("custodian", "")
    if custodian:
        fields["custodian"] = lookups.users.get(custodian.lower())
        if fields["custodian"] is None:
            problems.append(_("Unknown custodian “%(value)s”.") % {"value": custodian})
    asset_no = text("asset_no", 30).upper()
    if asset_no:
        if asset_no in lookups.asset_nos or asset_no in seen_assets:
            problems.append(_("Asset number %(value)s is already on the ledger.") % {"value": asset_no})
        seen_assets.add(asset_no)
        fields["asset_no"] = asset_no
    serial = text("serial_no", 100)
    if serial:
        if serial in lookups.serials:
            problems.append(_("Serial number %(value)s is already on the ledger.") % {"value": serial})
        elif serial in seen_serials:
            problems.append(_("Serial number %(value)s appears twice in the file.") % {"value": serial})
        seen_serials.add(serial)
    fields["serial_no"] = serial
    for field, limit in (
        ("brand", 50),
        ("model_name", 100),
        ("building", 50),
        ("floor", 20),
        ("room", 50),
        ("supplier", 100),
    ):
        fields[field] = text(field, limit)
    fields["notes"] = values.get("notes", "")
    for field in ("purchase_date", "warranty_end"):
        if values.get(field):
            try:
                fields[field] = parse_date(values[field], batch.date_format)
            except ValueError:
                problems.append(
                    _("%(column)s “%(value)s” is not a date in the chosen format %(format)s.")
                    % {"column": COLUMNS[field], "value": values[field], "format": batch.get_date_format_display()}
                )
    months = values.get("warranty_months", "")
    if months and "warranty_end" not in fields:
        if not months.isdigit() or int(months) > MAX_WARRANTY_MONTHS:
            problems.append(_("Warranty “%(value)s” is not a number of months.") % {"value": months})
        elif "purchase_date" in fields:
            fields["warranty_end"] = fields["purchase_date"] + relativedelta(months=int(months))
        else:
            problems.append(_("A warranty in months needs the purchase date."))
    if values.get("price"):
        try:
            price = parse_amount(values["price"], batch.decimal_separator)
            if price < 0 or price >= Decimal("1e10"):
                raise InvalidOperation
            fields["price"] = price.quantize(Decimal("0.01"))
        except InvalidOperation:
            problems.append(_("Price “%(value)s” is not an amount.") % {"value": values["price"]})
    if values.get("ip_address"):
        try:
            fields["ip_address"] = str(ip_address(values["ip_address"]))
        except ValueError:
            problems.append(_("“%(value)s” is not an IP address.") % {"value": values["ip_address"]})
    mac = values.get("mac_address", "").upper().replace("-", ":")
    if mac and not re.fullmatch(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", mac):
        problems.append(_("“%(value)s” is not a MAC address.") % {"value": values["mac_address"]})
    fields["mac_address"] = mac
    status = values.get("status", "")
    fields["status"] = lookups.statuses.get(status.lower(), "") if status else Equipment.Status.IN_STOCK
    if not fields["status"]:
        problems.append(_("Unknown status “%(value)s”.") % {"value": status})
    if fields["status"] in (Equipment.Status.ON_LOAN,):
        problems.append(_("Devices on loan are registered through the spare loan register, not imported."))
    return fields, problems


def _rows_as_dicts(batch):
    """Each row as {our field: text}: defaults fill what is missing, mapped values become ours."""
    columns = {field: batch.headers.index(header) for field, header in batch.mapping.items() if header in batch.headers}
    for number, row in enumerate(batch.rows, start=2):
        values = {field: row[index].strip() for field, index in columns.items()}
        for field, default in batch.defaults.items():
            values[field] = values.get(field) or default
        for field in VALUE_FIELDS:
            target = batch.value_map.get(field, {}).get(values.get(field, ""))
            if field == "room" and target and target != NEW:
                values["building"], values["floor"], values["room"] = json.loads(target)
            elif field == "category" and target == NEW:
                values[field] = values[field][:50]
            elif target and target != NEW:
                values[field] = target
        yield number, values


def _new_categories(batch):
    """Names of the categories the user chose to create from the file's values."""
    return {source[:50] for source, target in batch.value_map.get("category", {}).items() if target == NEW}


def validate(batch: EquipmentImport, progress=None) -> list[dict]:
    """Every bad row with its number in the file (header = row 1) and its reasons."""
    lookups = _Lookups()
    for name in _new_categories(batch):
        lookups.categories.setdefault(name.lower(), EquipmentCategory(name=name))
    errors, seen_serials, seen_assets = [], set(), set()
    missing = [str(COLUMNS[field]) for field in REQUIRED if field not in batch.mapping]
    if missing:
        return [{"row": 1, "reasons": [_("Map a column to: %(columns)s.") % {"columns": "、".join(missing)}]}]
    for number, values in _rows_as_dicts(batch):
        problems = _validate_row(values, lookups, seen_serials, seen_assets, batch)[1]
        if problems:
            errors.append({"row": number, "reasons": problems})
        if progress and number % PROGRESS_EVERY == 0:
            progress(number - 1)
    return errors


def _reserve_asset_numbers(count):
    """A block of asset numbers in one step, same sequence as portal.numbering.next_number."""
    key = f"{Equipment.ASSET_PREFIX}-{timezone.localdate().year}"
    with transaction.atomic():
        NumberSequence.objects.get_or_create(key=key)
        NumberSequence.objects.filter(key=key).update(last_value=F("last_value") + count)
        last = NumberSequence.objects.get(key=key).last_value
    return [f"{key}-{value:06d}" for value in range(last - count + 1, last + 1)]


def run_import(batch: EquipmentImport) -> EquipmentImport:
    """Validate, then write every row in one transaction; any bad row and nothing is written."""
    batch.state = EquipmentImport.State.RUNNING
    batch.processed = 0
    batch.save(update_fields=["state", "processed"])

    def progress(done):
        EquipmentImport.objects.filter(pk=batch.pk).update(processed=done)

    errors = validate(batch, progress)
    if errors:
        batch.errors, batch.state, batch.processed = errors, EquipmentImport.State.REJECTED, 0
        batch.finished_at = timezone.now()
        batch.save(update_fields=["errors", "state", "processed", "finished_at"])
        return batch
    with transaction.atomic():
        create_categories(batch)
        lookups = _Lookups()
        devices = [
            Equipment(**_validate_row(values, lookups, set(), set(), batch)[0], created_at=timezone.now())
            for _number, values in _rows_as_dicts(batch)
        ]
        numbers = iter(_reserve_asset_numbers(sum(1 for device in devices if not device.asset_no)))
        for device in devices:
            device.asset_no = device.asset_no or next(numbers)
        # PostgreSQL and SQLite return the new primary keys from a bulk insert.
        bulk_create_with_history(devices, Equipment, batch_size=1000, default_user=batch.uploaded_by)
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    equipment_id=device.pk,
                    kind=LedgerEntry.Kind.IMPORT,
                    to_status=device.status,
                    to_department=device.department,
                    to_location=device.location,
                    actor=batch.uploaded_by,
                    reason=batch.file_name,
                )
                for device in devices
            ],
            batch_size=1000,
        )
        remember(batch)
        batch.state, batch.errors, batch.processed = EquipmentImport.State.DONE, [], len(devices)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "errors", "processed", "finished_at", "value_map"])
    return batch
