"""A create page says what it creates (新建权限申请), not only 新建 — also where its view sets no title."""

import re

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("role", "url_name", "title"),
    [
        ("staff", "accounts:request_create", "新建权限申请"),
        ("hr", "accounts:departure_create", "新建"),
        ("staff", "accounts:network_request_create", "新建"),
        ("it_officer", "inventory:loan_create", "新建"),
    ],
)
def test_a_create_page_names_what_it_creates(client, make_user, role, url_name, title):
    client.force_login(make_user(role))
    html = client.get(reverse(url_name)).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    assert heading.startswith(title) and heading != "新建", heading
