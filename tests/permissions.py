"""The permission matrix every page is tested with.

anonymous → login page; wrong role → 403; right role → 200; someone else's object → 404.
"""

from django.conf import settings
from django.shortcuts import resolve_url


def assert_permission_matrix(client, url, *, allowed=(), forbidden=(), hidden=(), method="get", data=None):
    call = getattr(client, method)
    client.logout()
    response = call(url, data or {})
    assert response.status_code == 302, f"anonymous {method.upper()} {url}: {response.status_code}"
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response["Location"]
    for expected, users in ((200, allowed), (403, forbidden), (404, hidden)):
        for user in users:
            client.force_login(user)
            response = call(url, data or {})
            status = response.status_code
            if expected == 200 and method == "post":
                assert status in (200, 302), f"{user} {method.upper()} {url}: {status}"
            else:
                assert status == expected, (
                    f"{user} ({', '.join(user.groups.values_list('name', flat=True))}) {method.upper()} {url}: {status}, expected {expected}"
                )
            client.logout()
