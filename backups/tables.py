import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    DbaHandover,
    MediaStocktake,
    OffsiteWaiver,
    ServerOperation,
    Verification,
)

DATETIME = "Y-m-d H:i"


class RegisterTable(tables.Table):
    """The look every table of the backups register shares."""

    class Meta:
        attrs = {"class": "table table-sm table-hover mb-0"}


class BackupTargetTable(RegisterTable):
    name = tables.Column(linkify=True)
    verification_interval_days = tables.Column(verbose_name=capfirst(_("restore-test interval")))

    class Meta(RegisterTable.Meta):
        model = BackupTarget
        fields = [
            "code",
            "name",
            "kind",
            "server",
            "responsible_dba",
            "deputy",
            "full_every_days",
            "incremental_every_hours",
            "verification_interval_days",
            "offsite_copy",
            "auto_verify",
            "is_active",
        ]


class BackupRunTable(RegisterTable):
    started_at = tables.DateTimeColumn(format=DATETIME, linkify=True)
    finished_at = tables.DateTimeColumn(format=DATETIME)
    size_bytes = tables.TemplateColumn("{{ value|filesizeformat }}", verbose_name=capfirst(_("size")))
    status = tables.TemplateColumn(
        '<span class="badge {% if value == "success" %}bg-success{% else %}bg-danger{% endif %}">{{ record.get_status_display }}</span>'
    )

    class Meta(RegisterTable.Meta):
        model = BackupRun
        fields = ["started_at", "target", "kind", "status", "finished_at", "size_bytes", "source", "operator"]


class VerificationTable(RegisterTable):
    started_at = tables.DateTimeColumn(format=DATETIME, linkify=True)
    result = tables.TemplateColumn(
        '<span class="badge {% if value == "pass" %}bg-success{% elif value == "warning" %}bg-warning text-dark{% else %}bg-danger{% endif %}">{{ record.get_result_display }}</span>'
    )
    restore_seconds = tables.Column(verbose_name=capfirst(_("restore time (s)")))
    operator = tables.Column(default=_("system"))

    class Meta(RegisterTable.Meta):
        model = Verification
        fields = ["started_at", "target", "method", "result", "restore_seconds", "is_automatic", "operator", "witness"]


class BackupMediumTable(RegisterTable):
    label = tables.Column(linkify=True)

    class Meta(RegisterTable.Meta):
        model = BackupMedium
        fields = ["label", "kind", "capacity_gb", "location", "place", "custodian", "is_active"]


class CustodyHandoverTable(RegisterTable):
    number = tables.Column(linkify=True)
    handed_over_at = tables.DateTimeColumn(format=DATETIME)
    media = tables.ManyToManyColumn(transform=lambda medium: medium.label, verbose_name=capfirst(_("media")))

    class Meta(RegisterTable.Meta):
        model = CustodyHandover
        fields = ["number", "handed_over_at", "media", "from_person", "to_person", "to_location", "to_place", "state"]


class MediaStocktakeTable(RegisterTable):
    number = tables.Column(linkify=True)

    class Meta(RegisterTable.Meta):
        model = MediaStocktake
        fields = ["number", "counted_on", "location", "counted_by", "state"]


class ServerOperationTable(RegisterTable):
    started_at = tables.DateTimeColumn(format=DATETIME, linkify=True)
    description = tables.Column(attrs={"td": {"class": "small"}})

    class Meta(RegisterTable.Meta):
        model = ServerOperation
        fields = ["started_at", "server", "kind", "operator", "present_dba", "others_present", "description"]


class DbaHandoverTable(RegisterTable):
    number = tables.Column(linkify=True)
    started_at = tables.DateTimeColumn(format=DATETIME)
    completed_at = tables.DateTimeColumn(format=DATETIME, default="—")

    class Meta(RegisterTable.Meta):
        model = DbaHandover
        fields = ["number", "departing_dba", "successor", "started_at", "backup_run", "verification", "completed_at"]


class OffsiteWaiverTable(RegisterTable):
    number = tables.Column(linkify=True)
    requested_at = tables.DateTimeColumn(format=DATETIME)
    decided_at = tables.DateTimeColumn(format=DATETIME)

    class Meta(RegisterTable.Meta):
        model = OffsiteWaiver
        fields = ["number", "target", "requested_by", "requested_at", "state", "decided_by", "decided_at"]
