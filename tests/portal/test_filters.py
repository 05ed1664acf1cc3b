import inspect
from importlib import import_module

import django_filters
import pytest
from django.utils import translation

APPS = ["accounts", "backups", "disclosure", "inspections", "inventory", "repairs"]


def all_filtersets():
    for app in APPS:
        module = import_module(f"{app}.filters")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
                and value._meta.model is not None  # a shared base, not a list's filter
            ):
                yield pytest.param(value, id=name)


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", list(all_filtersets()))
def test_no_list_filter_offers_unknown(filterset_class):
    """A yes/no filter's empty choice reads 全部, never django-filter's 未知."""
    with translation.override("zh-hans"):
        html = str(filterset_class(data={}, queryset=filterset_class._meta.model.objects.none()).form)
    assert "未知" not in html
    assert "Unknown" not in html
