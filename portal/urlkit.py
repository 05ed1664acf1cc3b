"""The URL contract for one kind of object (ARCHITECTURE, "URL contract"), written once."""

from django.urls import path

# Route suffix after ``<plural>/``, and the name suffix after ``<name>_``, for each standard page.
STANDARD_PAGES = {
    "list": ("", "list"),
    "create": ("new/", "create"),
    "detail": ("<int:pk>/", "detail"),
    "edit": ("<int:pk>/edit/", "edit"),
    "history": ("<int:pk>/history/", "history"),
    "pdf": ("<int:pk>/pdf/", "pdf"),
}


def object_urls(plural, name, *, extra=(), action=None, **pages):
    """``object_urls("tickets", "ticket", list=TicketListView, detail=TicketDetailView, action=TicketActionView)``.

    Gives ``tickets/`` (``ticket_list``), ``tickets/new/`` (``ticket_create``), ``tickets/<pk>/``,
    ``…/edit/``, ``…/history/``, ``…/pdf/`` for the pages named; ``extra`` adds ``(route, view, suffix)``
    under ``tickets/<pk>/`` (e.g. ``("lend-spare/", LendSpareView, "lend_spare")`` → ``ticket_lend_spare``);
    ``action`` is the transition view at ``tickets/<pk>/<action>/`` (``ticket_action``), matched last.
    """
    unknown = set(pages) - set(STANDARD_PAGES)
    if unknown:
        raise TypeError(f"unknown pages: {', '.join(sorted(unknown))}")
    patterns = [
        path(f"{plural}/{route}", pages[page].as_view(), name=f"{name}_{suffix}")
        for page, (route, suffix) in STANDARD_PAGES.items()
        if page in pages
    ]
    patterns += [
        path(f"{plural}/<int:pk>/{route}", view.as_view(), name=f"{name}_{suffix}") for route, view, suffix in extra
    ]
    if action is not None:
        patterns.append(path(f"{plural}/<int:pk>/<str:action>/", action.as_view(), name=f"{name}_action"))
    return patterns
