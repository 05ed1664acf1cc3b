"""Human-readable numbers such as BX-2026-000123, unique under concurrency."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix: str, *, year: int | None = None, width: int = 6) -> str:
    year = year or timezone.localdate().year
    key = f"{prefix}-{year}"
    with transaction.atomic():
        # The UPDATE takes the row lock, so a concurrent caller waits and then gets the next value.
        if not NumberSequence.objects.filter(key=key).update(last_value=F("last_value") + 1):
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(key=key, last_value=1)
            except IntegrityError:
                NumberSequence.objects.filter(key=key).update(last_value=F("last_value") + 1)
        value = NumberSequence.objects.get(key=key).last_value
    return f"{key}-{value:0{width}d}"
