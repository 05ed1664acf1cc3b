"""The CSRF failure page: a form that expired says so in the portal's words, not Django's English page."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
