"""One attachment mechanism for every app: content-checked uploads, served only through a checked view."""

import filetype
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Attachment

ALLOWED_MIME_PREFIXES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
OFFICE_MIME = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/zip",
}
TEXT_SUFFIXES = (".txt", ".log", ".csv")


def detect_mime(upload) -> str:
    """The file's type from its bytes, never from its name; raises ValidationError when not allowed."""
    max_bytes = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.") % {"name": upload.name, "limit": settings.ATTACHMENT_MAX_MB}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and (kind.mime in ALLOWED_MIME_PREFIXES or kind.mime in OFFICE_MIME):
        return kind.mime
    if kind is None and upload.name.lower().endswith(TEXT_SUFFIXES):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                return "text/plain"
        else:
            return "text/plain"
    raise ValidationError(
        _("“%(name)s” is not an accepted file: images, PDF, office documents or text logs only.")
        % {"name": upload.name}
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        for upload in files:
            upload.portal_mime = detect_mime(upload)
        return files


def attach(owner, uploads, *, by):
    content_type = ContentType.objects.get_for_model(owner)
    return [
        Attachment.objects.create(
            content_type=content_type,
            object_id=owner.pk,
            file=upload,
            original_name=upload.name[:255],
            mime_type=getattr(upload, "portal_mime", None) or detect_mime(upload),
            size=upload.size,
            uploaded_by=by,
        )
        for upload in uploads
    ]


def attachments_of(owner):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    ).select_related("uploaded_by")
