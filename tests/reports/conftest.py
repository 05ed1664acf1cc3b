import pytest

from tests.testapp.models import Voucher

TEST_SECTION = "tests.testapp.report.section"


@pytest.fixture
def voucher_section(settings):
    settings.PORTAL_REPORT_SECTIONS = [TEST_SECTION]


@pytest.fixture
def vouchers(make_user, department, other_department):
    """Hand-counted: 内科 has 2 drafts (100 + 250) and 1 approved (40); 外科 has 1 submitted (7)."""
    nk = make_user("staff")
    wk = make_user("staff", department=other_department)
    Voucher.objects.bulk_create(
        [
            Voucher(title="a", amount=100, applicant=nk),
            Voucher(title="b", amount=250, applicant=nk),
            Voucher(title="c", amount=40, applicant=nk, state=Voucher.State.APPROVED),
            Voucher(title="d", amount=7, applicant=wk, state=Voucher.State.SUBMITTED),
        ]
    )
