from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load a believable demo hospital: departments, one login per role, and each app's data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "hospital"], default="demo")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, scale, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo writes demo data and logins; refusing with DEBUG off (use --force).")
        for path in settings.PORTAL_DEMO_SEEDERS:
            self.stdout.write(f"seeding {path} ({scale}) ...")
            with transaction.atomic():
                import_string(path)(scale=scale, stdout=self.stdout)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner sees the rows just written (a hospital-scale load is 170,000 tickets).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
