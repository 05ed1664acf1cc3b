import logging
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

# (demo login, URL) — the pages people open all day, with the filters and searches they type.
PAGES = [
    ("it_officer", "/"),
    ("staff", "/"),
    ("it_officer", "/inventory/equipment/"),
    ("it_officer", "/inventory/equipment/?sort=-purchase_date"),
    ("it_officer", "/inventory/equipment/?q=联想"),
    ("it_officer", "/inventory/equipment/?page=150"),
    ("staff", "/inventory/equipment/"),
    ("it_officer", "/inventory/loans/"),
    ("it_officer", "/inventory/stocktakes/"),
    ("it_officer", "/repairs/tickets/"),
    ("it_officer", "/repairs/tickets/?state=submitted"),
    ("it_officer", "/repairs/tickets/?q=打印"),
    ("it_officer", "/repairs/tickets/?q=BX-2024-000123"),
    ("it_officer", "/repairs/tickets/?page=3000"),
    ("staff", "/repairs/tickets/"),
    ("it_officer", "/inspections/"),
    ("it_officer", "/inspections/rounds/"),
    ("it_officer", "/inspections/visits/"),
    ("dba", "/backups/"),
    ("dba", "/backups/verifications/"),
    ("it_officer", "/accounts/requests/"),
    ("it_officer", "/accounts/departures/"),
    ("auditor", "/accounts/sensitive-queries/"),
    ("leader", "/disclosure/items/"),
    ("leader", "/disclosure/requests/"),
    ("leader", "/reports/archive/"),
]


class Command(BaseCommand):
    help = "Time the main pages as the demo users see them (median of several requests) and count their queries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["demo", "hospital"], help="Load demo data at this scale first (seed_demo)."
        )
        parser.add_argument("--repeat", type=int, default=5, help="Requests per page (default 5).")

    def handle(self, *args, scale=None, repeat=5, **options):
        if scale:
            call_command("seed_demo", scale=scale, stdout=self.stdout)
        translation.activate(settings.LANGUAGE_CODE)
        logging.getLogger("axes").setLevel(logging.WARNING)  # one login line per page would bury the table
        users = {user.username: user for user in get_user_model().objects.filter(username__in={u for u, _ in PAGES})}
        missing = {u for u, _ in PAGES} - users.keys()
        if missing:
            raise CommandError(f"Demo logins missing ({', '.join(sorted(missing))}): run seed_demo first.")
        self.stdout.write(f"{'login':<12} {'page':<48} {'median s':>9} {'max s':>7} {'queries':>8}")
        for username, url in PAGES:
            client = Client(SERVER_NAME="localhost")
            client.force_login(users[username])
            timings, queries = [], 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                queries = len(captured)
            if response.status_code != 200:
                raise CommandError(f"{username} {url}: HTTP {response.status_code}")
            self.stdout.write(
                f"{username:<12} {url:<48} {statistics.median(timings):>9.3f} {max(timings):>7.3f} {queries:>8}"
            )
