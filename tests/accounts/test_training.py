"""学习培训制度 3: each IT technician takes at least two sessions or twenty class hours of training a year."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts import services
from portal.exceptions import ActionRefused
from tests.permissions import assert_permission_matrix


def _train(people, trainee, hours, day):
    return services.training_record(
        trainee=trainee, title="网络安全培训", held_on=day, hours=Decimal(hours), by=people.it_head
    )


def _years(year):
    return {row.person.username: row for row in services.training_years(year)}


@time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
def test_two_sessions_or_twenty_hours_meet_the_year_and_a_past_year_short_of_both_is_overdue(people, client):
    _train(people, people.officer, 2, datetime.date(2026, 3, 1))
    _train(people, people.officer, 3, datetime.date(2026, 9, 1))
    _train(people, people.dba, 20, datetime.date(2026, 5, 1))
    _train(people, people.officer2, 19.5, datetime.date(2026, 5, 1))
    _train(people, people.officer2, 8, datetime.date(2025, 5, 1))

    this_year = _years(2026)
    assert (this_year[people.officer.username].sessions, this_year[people.officer.username].met) == (2, True)
    assert (this_year[people.dba.username].hours, this_year[people.dba.username].met) == (Decimal(20), True)
    short = this_year[people.officer2.username]
    assert (short.met, short.overdue) == (False, False)
    assert _years(2025)[people.officer2.username].overdue is True

    client.force_login(people.it_head)
    html = client.get(reverse("accounts:training_list") + "?year=2025").content.decode()
    overdue = dict(re.findall(r'<tr class="table-danger"><td>([^<]*)</td>(.*?)</tr>', html, re.S))
    assert "未达标" in overdue[people.officer2.full_name]
    assert people.officer.full_name in overdue, "no training at all in 2025 is overdue too"


def test_only_the_it_head_records_training_and_technicians_see_their_own(people, client):
    _train(people, people.officer, 4, datetime.date(2026, 1, 5))
    _train(people, people.dba, 4, datetime.date(2026, 1, 5))
    with pytest.raises(ActionRefused, match="信息科主任"):
        services.training_record(
            trainee=people.officer, title="x", held_on=datetime.date(2026, 1, 5), hours=1, by=people.officer
        )
    assert_permission_matrix(
        client, reverse("accounts:training_create"), allowed=[people.it_head], forbidden=[people.officer, people.hr]
    )
    assert_permission_matrix(
        client, reverse("accounts:training_list"), allowed=[people.officer, people.auditor], forbidden=[people.staff]
    )
    client.force_login(people.officer)
    table = client.get(reverse("accounts:training_list")).content.decode().split('data-testid="training-years"')[1]
    assert people.officer.full_name in table and people.dba.full_name not in table


def test_a_training_in_the_future_is_refused(people):
    with pytest.raises(ActionRefused, match="培训结束后"):
        _train(people, people.officer, 4, datetime.date(2026, 1, 6))
