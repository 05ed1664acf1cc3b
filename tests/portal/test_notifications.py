from django.core import mail

from portal.models import Notification
from portal.notifications import notify, notify_roles


def test_notification_shows_in_the_bell_and_is_emailed(client, make_user, django_capture_on_commit_callbacks):
    head = make_user("it_head")
    with django_capture_on_commit_callbacks(execute=True):
        notify([head, head], title="一类故障：核心交换机宕机", body="请立即处理", url="/")
    assert Notification.objects.filter(recipient=head).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "一类故障：核心交换机宕机"
    client.force_login(head)
    page = client.get("/").content.decode()
    assert 'data-testid="bell"' in page
    assert "一类故障：核心交换机宕机" in page


def test_notify_roles_reaches_only_that_role(make_user):
    head, officer = make_user("it_head"), make_user("it_officer")
    notify_roles(["it_head"], title="备份校验失败")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [head.pk]
    assert not Notification.objects.filter(recipient=officer).exists()


def test_opening_a_notification_marks_it_read(client, make_user):
    user = make_user("staff")
    note = notify([user], title="您的报修单已派单", url="/notifications/")[0]
    client.force_login(user)
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    other = make_user("staff")
    client.force_login(other)
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404
