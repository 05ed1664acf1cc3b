"""For backup scripts on the portal's server: ``python manage.py record_backup --target HIS-DB --file /backup/his.dmp``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backups import checks, services
from backups.models import BackupMedium, BackupRun, BackupTarget
from portal.exceptions import ActionRefused


def _when(value, name):
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"--{name}: expected an ISO 8601 date and time, got {value!r}")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Record one backup run of a target. With --file, size and SHA-256 are computed from the file."

    def add_arguments(self, parser):
        parser.add_argument("--target", required=True, help="The target's code, e.g. HIS-DB.")
        parser.add_argument("--status", choices=BackupRun.Status.values, default=BackupRun.Status.SUCCESS)
        parser.add_argument("--kind", choices=BackupRun.Kind.values, default=BackupRun.Kind.FULL)
        parser.add_argument("--started", help="ISO 8601; defaults to now.")
        parser.add_argument("--finished", help="ISO 8601; defaults to now.")
        parser.add_argument(
            "--file", help="The backup file: its path is the location, its size and SHA-256 are computed."
        )
        parser.add_argument("--location", default="", help="Where the backup is stored, when not a local --file.")
        parser.add_argument("--size", type=int, help="Size in bytes, when not a local --file.")
        parser.add_argument("--sha256", default="", help="SHA-256 of the backup, when not a local --file.")
        parser.add_argument("--medium", help="Label of the medium in the register.")
        parser.add_argument("--error", default="", help="What went wrong (required with --status failed).")

    def handle(
        self, *args, target, status, kind, started, finished, file, location, size, sha256, medium, error, **options
    ):
        found = BackupTarget.objects.filter(code=target).first()
        if found is None:
            raise CommandError(f"No backup target with code {target!r}.")
        now = timezone.now()
        fields = {
            "kind": kind,
            "status": status,
            "started_at": _when(started, "started") if started else now,
            "finished_at": _when(finished, "finished") if finished else now,
            "location": location,
            "size_bytes": size,
            "sha256": sha256,
            "error": error,
        }
        if file:
            path = Path(file).resolve()
            if not path.is_file():
                raise CommandError(f"--file: no file at {path}")
            fields.update(location=str(path), size_bytes=path.stat().st_size, sha256=checks.sha256_of(path))
        if medium:
            fields["medium"] = BackupMedium.objects.filter(label=medium).first()
            if fields["medium"] is None:
                raise CommandError(f"No medium labelled {medium!r} in the register.")
        try:
            run = services.backup_run_record(target=found, source=BackupRun.Source.COMMAND, **fields)
        except ActionRefused as refused:
            raise CommandError(str(refused.message)) from refused
        self.stdout.write(f"recorded run {run.pk}: {found.code} {run.status} {run.sha256}")
