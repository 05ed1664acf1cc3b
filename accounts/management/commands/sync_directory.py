from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.directory import enabled
from accounts.services.directory import directory_sync


class Command(BaseCommand):
    help = (
        "Follow the hospital's directory: new staff, changed departments, departures of disabled or removed accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would change and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if not enabled():
            raise CommandError(_("No directory is configured: set LDAP_SERVER_URI."))
        report = directory_sync(dry_run=dry_run)
        if report.failure:
            raise CommandError(
                _("The directory is unavailable; nothing was changed: %(error)s") % {"error": report.failure}
            )
        write = self.stdout.write
        for user in report.created:
            write(_("new: %(user)s (%(username)s)") % {"user": user, "username": user.username})
        for user, changes in report.changed:
            write(_("changed: %(user)s — %(changes)s") % {"user": user, "changes": "; ".join(changes)})
        for user in report.departures:
            write(_("departure opened: %(user)s") % {"user": user})
        for warning in report.warnings:
            write(_("warning: %(warning)s") % {"warning": warning})
        summary = _("%(seen)s directory entries, %(changes)s changes.") % {
            "seen": report.seen,
            "changes": report.changes,
        }
        if dry_run:
            summary += " " + _("Dry run: nothing was changed.")
        write(summary)
