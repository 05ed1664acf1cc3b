"""How an import reads another system's cells: values mapped to our lists, date and decimal formats, source profiles.

Each distinct value of a column that refers to one of our lists (category, department, status, location) is
mapped once; the choice is kept on the import and remembered on its source's profile for the next file.
"""

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department

from .models import Equipment, EquipmentCategory, ImportProfile

NEW = "__new__"
# Our fields whose values refer to a list of ours, with the name the mapping page gives them.
VALUE_FIELDS = {
    "category": gettext_lazy("Category"),
    "department": gettext_lazy("Using department"),
    "status": gettext_lazy("Status"),
    "room": gettext_lazy("Location"),
}
# Fields a default can fill when the file lacks the column or leaves the cell empty.
DEFAULT_FIELDS = ("category", "department", "status", "building", "floor", "supplier")
# A column with more distinct values than this is matched by name only, past the first ones shown.
MAX_DISTINCT = 100
# A file that shares this share of a profile's columns comes from that profile's source.
PROFILE_MATCH = 0.6

# Headers other ledgers use for the same thing (the hospital's Excel, Snipe-IT, GLPI), lower-cased.
SYNONYMS = {
    "asset_no": [
        "资产编号",
        "资产编码",
        "固定资产编号",
        "asset tag",
        "inventory number",
        "otherserial",
        "asset number",
    ],
    "category": ["类别", "设备类别", "设备类型", "资产类别", "category", "type", "asset type"],
    "brand": ["品牌", "厂商", "制造商", "manufacturer", "brand"],
    "model_name": ["型号", "规格型号", "model", "model name"],
    "serial_no": ["序列号", "sn", "serial", "serial number", "serial no"],
    "department": ["使用科室", "科室", "所属科室", "部门", "department", "entity", "company"],
    "custodian": ["保管人", "使用人", "责任人", "checked out to", "user", "assigned to", "custodian"],
    "building": ["楼栋", "楼宇", "building"],
    "floor": ["楼层", "floor"],
    "room": ["房间", "位置", "存放地点", "location", "room"],
    "ip_address": ["ip", "ip地址", "ip address"],
    "mac_address": ["mac", "mac地址", "mac address"],
    "purchase_date": ["购置日期", "购买日期", "采购日期", "purchase date", "date of purchase"],
    "price": ["价格", "金额", "单价", "原值", "purchase cost", "price", "value"],
    "supplier": ["供应商", "供货商", "supplier"],
    "warranty_end": [
        "保修截止",
        "保修到期",
        "保修截止日期",
        "保修期至",
        "warranty expires",
        "warranty expiration date",
        "warranty end",
    ],
    "warranty_months": ["保修期(月)", "保修期（月）", "保修月数", "warranty (months)", "warranty months"],
    "status": ["状态", "设备状态", "status"],
    "notes": ["备注", "说明", "notes", "comment", "comments"],
}

STATUS_ALIASES = {
    "在库": "in_stock",
    "在用": "in_use",
    "维修中": "under_repair",
    "备用": "spare",
    "已报废": "scrapped",
    "待报废": "pending_scrap",
    "deployed": "in_use",
    "in use": "in_use",
    "ready to deploy": "in_stock",
    "in stock": "in_stock",
    "pending": "under_repair",
    "out for repair": "under_repair",
    "broken": "under_repair",
    "in repair": "under_repair",
    "archived": "scrapped",
}
# English names other systems give our categories, singular (a trailing s or es is dropped first).
CATEGORY_ALIASES = {
    "desktop": "pc",
    "computer": "pc",
    "workstation": "pc",
    "notebook": "laptop",
    "nas": "storage",
    "san": "storage",
}

DATE_PATTERNS = {
    "ymd": ("%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"),
    "mdy": ("%m/%d/%y", "%m/%d/%Y", "%m-%d-%y", "%m-%d-%Y"),
    "dmy": ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y"),
    "excel": (),
}
# ISO dates cannot be misread and are what an Excel date cell reads as, so every format accepts them.
ISO_PATTERNS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(text: str, date_format: str) -> date:
    """The date in text read in the chosen format; ValueError when it does not read as one."""
    text = text.strip()
    if date_format == "excel" and re.fullmatch(r"\d{4,6}(\.\d+)?", text):
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    for pattern in DATE_PATTERNS[date_format] + ISO_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_amount(text: str, separator: str) -> Decimal:
    """1,299.00 or 1 299,00 as Decimal; InvalidOperation when the other separator marks the decimals."""
    cleaned = re.sub(r"[\s\u00a0\u202f¥￥$€]|RMB|CNY|元", "", text)
    other = "." if separator == "," else ","
    if re.search(rf"\{other}\d{{1,2}}$", cleaned):
        raise InvalidOperation(text)
    return Decimal(cleaned.replace(other, "").replace(separator, "."))


def format_label(date_format: str) -> str:
    return str(dict(ImportProfile.DateFormat.choices)[date_format])


def targets(field: str) -> list[tuple[str, str]]:
    """(value, label) of everything of ours a source value may map to."""
    if field == "category":
        choices = [(c.code, c.name) for c in EquipmentCategory.objects.filter(is_active=True)]
        return [*choices, (NEW, _("Create it as a new category"))]
    if field == "department":
        return [(d.code, d.name) for d in Department.objects.filter(is_active=True).order_by("code")]
    if field == "status":
        return [(value, str(label)) for value, label in Equipment.Status.choices if value != Equipment.Status.ON_LOAN]
    places = (
        Equipment.objects.exclude(room="")
        .values_list("building", "floor", "room")
        .distinct()
        .order_by("building", "floor", "room")
    )
    choices = [(json.dumps(place, ensure_ascii=False), " / ".join(part for part in place if part)) for place in places]
    return [*choices, (NEW, _("Create it as a new location, as written"))]


def suggest(field: str, value: str, choices: list[tuple[str, str]]) -> str:
    """Our best match for a source value, NEW for a location we do not have, '' when the user must choose."""
    key = value.strip().lower()
    for target, label in choices:
        if target != NEW and key in (target.lower(), label.lower()):
            return target
    if field == "category":
        codes = {target for target, _label in choices}
        for singular in (key, key.removesuffix("es"), key.removesuffix("s")):
            code = CATEGORY_ALIASES.get(singular, singular)
            if code in codes:
                return code
    if field == "status":
        return STATUS_ALIASES.get(key, "")
    if field == "room":
        rooms = {json.loads(target)[2].lower(): target for target, _label in choices if target != NEW}
        return rooms.get(key, NEW)
    return ""


def column(batch, field: str) -> list[tuple[int, str]]:
    """(row number, stripped cell) of the column mapped to field; header = row 1."""
    header = batch.mapping.get(field)
    if header not in batch.headers:
        return []
    index = batch.headers.index(header)
    return [(number, row[index].strip()) for number, row in enumerate(batch.rows, start=2)]


def value_rows(batch) -> list[dict]:
    """For each mapped column that refers to our lists: its distinct values, row counts and the chosen match."""
    sections = []
    for field, label in VALUE_FIELDS.items():
        counts = Counter(value for _number, value in column(batch, field) if value)
        if not counts:
            continue
        choices = targets(field)
        allowed = {target for target, _label in choices}
        remembered = batch.value_map.get(field, {})
        values = [
            {
                "source": value,
                "count": count,
                "chosen": remembered[value] if remembered.get(value) in allowed else suggest(field, value, choices),
            }
            for value, count in list(counts.items())[:MAX_DISTINCT]
        ]
        sections.append(
            {
                "field": field,
                "label": label,
                "values": values,
                "choices": choices,
                "more": max(len(counts) - MAX_DISTINCT, 0),
            }
        )
    return sections


def _preview(batch, fields, parse, limit):
    samples = []
    for field in fields:
        for number, text in column(batch, field):
            if len(samples) == limit:
                return samples
            if text:
                try:
                    samples.append({"row": number, "text": text, "value": parse(text)})
                except (ValueError, InvalidOperation):
                    samples.append({"row": number, "text": text, "value": None})
    return samples


def date_preview(batch, limit=3) -> list[dict]:
    """The first dates of the file as read in the chosen format ({row, text, value}; value None if unreadable)."""
    return _preview(batch, ("purchase_date", "warranty_end"), lambda text: parse_date(text, batch.date_format), limit)


def amount_preview(batch, limit=3) -> list[dict]:
    return _preview(batch, ("price",), lambda text: parse_amount(text, batch.decimal_separator), limit)


def detect_profile(headers: list[str]) -> ImportProfile | None:
    """The source whose export shares most of its columns with this file."""
    present, best, best_share = set(headers), None, PROFILE_MATCH
    for profile in ImportProfile.objects.all():
        share = len(present & set(profile.headers)) / len(profile.headers) if profile.headers else 0
        if share >= best_share:
            best, best_share = profile, share
    return best


def create_categories(batch):
    """The categories chosen as new, created; the import's value mapping then names them by code."""
    created = {}
    for source, target in batch.value_map.get("category", {}).items():
        if target == NEW:
            category = EquipmentCategory.objects.filter(name=source[:50]).first()
            if category is None:
                code, n = slugify(source)[:24] or "imported", 1
                while EquipmentCategory.objects.filter(code=code if n == 1 else f"{code}-{n}").exists():
                    n += 1
                category = EquipmentCategory.objects.create(name=source[:50], code=code if n == 1 else f"{code}-{n}")
            created[source] = category.code
    batch.value_map = {**batch.value_map, "category": {**batch.value_map.get("category", {}), **created}}


def remember(batch):
    """The next file from the same source starts from this import's columns, values, defaults and formats."""
    profile = batch.profile
    if profile is None:
        return
    profile.headers, profile.mapping, profile.defaults = batch.headers, batch.mapping, batch.defaults
    profile.date_format, profile.decimal_separator = batch.date_format, batch.decimal_separator
    profile.value_map = {
        field: {**profile.value_map.get(field, {}), **batch.value_map.get(field, {})} for field in VALUE_FIELDS
    }
    profile.save()
