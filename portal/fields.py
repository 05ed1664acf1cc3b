"""Model fields and parts the apps declare the same way."""

from django.conf import settings
from django.db import models
from django.urls import reverse


def person(verbose_name, *, optional=False, on_delete=models.PROTECT, related_name="+", **kwargs):
    """A reference to the member of staff who did or holds something (``collector = person(_("collector"))``).

    People are never deleted while a record names them (``PROTECT``), and a user has no reverse accessor for
    each role they play in a record unless ``related_name`` asks for one. ``optional`` is for a step not taken
    yet (the field is empty until then).
    """
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **kwargs
    )


class DetailPage:
    """A model with a detail page, named once: ``detail_url = "repairs:ticket_detail"`` (the page takes the pk)."""

    detail_url: str

    def get_absolute_url(self):
        return reverse(self.detail_url, args=[self.pk])


class AppendOnly:
    """A model mixin for a record written once: saving it again, or deleting it, refuses with ``append_only``."""

    append_only = "This record is append-only."

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(self.append_only)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(self.append_only)
