"""The jobs benchmark prints a line per label sheet size, and says so when the ledger is too small."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.inventory.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


def test_bench_jobs_times_each_label_sheet_size(department):
    for _ in range(3):
        EquipmentFactory(department=department)
    out = io.StringIO()
    call_command("bench_jobs", labels=[1, 3], stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("  ")[0] for line in lines[1:]] == ["label sheet, 1 labels", "label sheet, 3 labels"]
    with pytest.raises(CommandError, match="Only 3 devices"):
        call_command("bench_jobs", labels=[4], stdout=io.StringIO())
