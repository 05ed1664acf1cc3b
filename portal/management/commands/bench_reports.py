import inspect
import time
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from reports.assembly import build_report, section_builders
from reports.periods import Kind, Period
from reports.rendering import drawn_sections, report_pdf


class Command(BaseCommand):
    help = "Time every stats function, every report section and the quarterly PDF on the current data, and print the figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["demo", "hospital"], help="Load demo data at this scale first (seed_demo)."
        )

    def handle(self, *args, scale=None, **options):
        if scale:
            call_command("seed_demo", scale=scale, stdout=self.stdout)
        translation.activate(settings.LANGUAGE_CODE)
        period = Period.last_completed(Kind.QUARTERLY, timezone.localdate())
        self.stdout.write(f"Period: {period.start} – {period.end} (quarterly)\n")
        self.stdout.write(f"{'what':<58} {'seconds':>8} {'cpu s':>8} {'queries':>8}")
        for path in settings.PORTAL_REPORT_SECTIONS:
            stats = import_module(f"{path.split('.')[0]}.stats")
            for name, function in inspect.getmembers(stats, inspect.isfunction):
                if function.__module__ != stats.__name__ or name.startswith("_"):
                    continue
                arguments = self._arguments(function, period)
                if arguments is not None:
                    self._time(f"{stats.__name__}.{name}", lambda f=function, a=arguments: f(**a))
        for path, build in zip(settings.PORTAL_REPORT_SECTIONS, section_builders()):
            self._time(f"section {path} (with comparisons)", lambda b=build: b(period.start, period.end, None))
        report = self._time("whole report assembled", lambda: build_report(period))
        self._time("charts drawn (matplotlib SVG)", lambda: drawn_sections(report))
        report.generated_at = timezone.now()
        pdf = self._time("quarterly PDF (assembly + charts + WeasyPrint)", lambda: report_pdf(build_report(period)))
        self.stdout.write(f"PDF size: {len(pdf) / 1024:.0f} KiB")

    @staticmethod
    def _arguments(function, period):
        """start/end for the period; None when the function needs anything else."""
        arguments = {}
        for name, parameter in inspect.signature(function).parameters.items():
            if name in ("start", "end"):
                arguments[name] = period.start if name == "start" else period.end
            elif parameter.default is inspect.Parameter.empty:
                return None
        return arguments

    def _time(self, label, call):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            result = call()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        self.stdout.write(f"{label:<58} {elapsed:>8.3f} {cpu:>8.3f} {len(queries):>8}")
        return result
