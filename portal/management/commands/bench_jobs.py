import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inventory.labels import LABEL_SHEET_LIMIT, label_sheet_pdf
from inventory.models import Equipment


class Command(BaseCommand):
    help = "Time the background jobs' work on the current data (label sheets of growing size) and print the figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["demo", "hospital"], help="Load demo data at this scale first (seed_demo)."
        )
        parser.add_argument(
            "--labels", type=int, nargs="+", default=[24, 276, LABEL_SHEET_LIMIT], help="Label sheet sizes to time."
        )

    def handle(self, *args, scale=None, labels=(), **options):
        if scale:
            call_command("seed_demo", scale=scale, stdout=self.stdout)
        translation.activate(settings.LANGUAGE_CODE)
        self.stdout.write(f"{'what':<40} {'seconds':>8} {'cpu s':>8} {'queries':>8} {'KiB':>8}")
        for size in labels:
            devices = Equipment.objects.select_related("category", "department").order_by("asset_no")[:size]
            if len(devices) < size:
                raise CommandError(f"Only {len(devices)} devices: load more with --scale hospital.")
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                pdf = label_sheet_pdf(list(devices))
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            what = f"label sheet, {size} labels"
            self.stdout.write(f"{what:<40} {elapsed:>8.3f} {cpu:>8.3f} {len(queries):>8} {len(pdf) / 1024:>8.0f}")
