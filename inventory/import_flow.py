"""The steps of a ledger import: upload (parsed and set up from its source's profile), the mapping chosen on its
page, then the import itself, now or in the background for a large file."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from portal import jobs
from portal.exceptions import ActionRefused

from .import_mapping import VALUE_FIELDS, detect_profile
from .importing import BACKGROUND_ROWS, guess_mapping, read_table, run_import
from .models import EquipmentImport, ImportProfile
from .tasks import import_equipment

EDITABLE = (EquipmentImport.State.UPLOADED, EquipmentImport.State.REJECTED)


def import_upload(*, name: str, raw: bytes, user: User, profile: ImportProfile | None = None) -> EquipmentImport:
    """A new import of the file, set up from its source's profile (chosen, or recognised by its columns)."""
    headers, rows = read_table(name, raw)
    profile = profile or detect_profile(headers)
    settings = {}
    if profile:
        settings = {
            "value_map": profile.value_map,
            "defaults": profile.defaults,
            "date_format": profile.date_format,
            "decimal_separator": profile.decimal_separator,
        }
    mapping = guess_mapping(headers)
    if profile and profile.mapping:
        # Remembered columns win, a field left unmapped stays so; a column new to this source is still guessed.
        known = set(profile.headers)
        remembered = {field: header for field, header in profile.mapping.items() if header in headers}
        mapping = remembered | {f: h for f, h in mapping.items() if f not in remembered and h not in known}
    return EquipmentImport.objects.create(
        file_name=name[:255],
        uploaded_by=user,
        headers=headers,
        rows=rows,
        total=len(rows),
        mapping=mapping,
        profile=profile,
        **settings,
    )


def import_configure(
    *,
    batch: EquipmentImport,
    mapping: dict,
    value_map: dict,
    defaults: dict,
    date_format: str,
    decimal_separator: str,
) -> EquipmentImport:
    """Keep what the user chose on the mapping page; a value mapped to '' is forgotten."""
    batch.mapping = {field: header for field, header in mapping.items() if header in batch.headers}
    batch.value_map = {
        field: {
            source: target
            for source, target in {**batch.value_map.get(field, {}), **value_map.get(field, {})}.items()
            if target
        }
        for field in VALUE_FIELDS
    }
    batch.defaults, batch.date_format, batch.decimal_separator = defaults, date_format, decimal_separator
    kept = EquipmentImport.objects.filter(pk=batch.pk, state__in=EDITABLE).update(
        mapping=batch.mapping,
        value_map=batch.value_map,
        defaults=defaults,
        date_format=date_format,
        decimal_separator=decimal_separator,
    )
    if not kept:
        raise ActionRefused(_("This file is already being imported or was imported."))
    return batch


def import_start(*, batch: EquipmentImport) -> EquipmentImport:
    """Check and import now, or queue a large file for the worker; refused once it is under way or done."""
    background = batch.total > BACKGROUND_ROWS
    state = EquipmentImport.State.QUEUED if background else EquipmentImport.State.RUNNING
    queued = EquipmentImport.objects.filter(pk=batch.pk, state__in=EDITABLE)
    if not queued.update(state=state, errors=[], attempted_at=timezone.now()):
        raise ActionRefused(_("This file is already being imported or was imported."))
    batch.state, batch.errors = state, []
    if background:
        jobs.enqueue(import_equipment, batch.pk)
        return batch
    return run_import(batch)
