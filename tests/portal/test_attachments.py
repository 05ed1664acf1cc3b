import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.attachments import attach, detect_mime
from tests.testapp.models import Voucher

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_type_comes_from_content_not_name():
    assert detect_mime(SimpleUploadedFile("photo.png", PNG)) == "image/png"
    with pytest.raises(ValidationError, match="不是允许的文件类型"):
        detect_mime(SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image"))
    assert detect_mime(SimpleUploadedFile("restore.log", "恢复成功 rows=120".encode())) == "text/plain"


def test_size_limit(settings):
    settings.ATTACHMENT_MAX_MB = 1
    with pytest.raises(ValidationError, match="超过 1 MB"):
        detect_mime(SimpleUploadedFile("big.png", PNG + b"\x00" * 2_000_000))


def test_download_only_for_users_who_may_see_the_object(client, make_user, other_department):
    owner = make_user("staff")
    voucher = Voucher.objects.create(title="报销", amount=1, applicant=owner)
    [attachment] = attach(voucher, [SimpleUploadedFile("故障照片.png", PNG)], by=owner)
    assert not attachment.file.name.endswith("故障照片.png"), "stored under a generated name"
    client.force_login(owner)
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    client.force_login(make_user("staff", department=other_department))
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 302
