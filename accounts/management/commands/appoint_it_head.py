"""A new hospital's first IT head: ``manage.py appoint_it_head chen --by sysadmin --reason "院发〔2026〕3号"``.

The system administrator holds no business role and gives none on the role page; this is the one appointment
made outside it, refused once an IT head exists, and recorded as a role change like any other.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import role_appoint_first_it_head
from portal.exceptions import ActionRefused


class Command(BaseCommand):
    help = "Appoint the first IT head (who then gives every role on the portal's role page)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The login that becomes IT head; it needs its employee number.")
        parser.add_argument("--by", required=True, help="The system administrator's login (a superuser).")
        parser.add_argument("--reason", required=True, help="Why, e.g. the appointment's document number.")
        parser.add_argument(
            "--agreement-signed-on",
            type=date.fromisoformat,
            help="YYYY-MM-DD: the appointee's 保密协议, recorded first when it is not on record (000 保密制度 7).",
        )

    def handle(self, *args, username, by, reason, agreement_signed_on, **options):
        try:
            user, admin = User.objects.get(username=username), User.objects.get(username=by)
        except User.DoesNotExist as missing:
            raise CommandError(f"No such login: {missing}") from missing
        try:
            with transaction.atomic():
                change = role_appoint_first_it_head(
                    user=user, reason=reason, by=admin, agreement_signed_on=agreement_signed_on
                )
        except ActionRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"{change} ({change.changed_at:%Y-%m-%d %H:%M})")
