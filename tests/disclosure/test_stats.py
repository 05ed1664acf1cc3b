from datetime import date

import time_machine

from disclosure import services, stats
from portal.workflow import perform


def test_annual_numbers(make_item, people, make_user):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        make_item("published", title="一")
        make_item("published", title="二")
        item = make_item("publication_review", title="三")
        perform(item, "review_publication", by=people.leader, attribute="not_disclosed", withhold_reason="state_secret")
        perform(item, "sign_off", by=people.signer)
        fields = {"applicant_kind": "organisation", "applicant_name": "某公司", "applicant_id_no": "1",
                  "contact_phone": "1", "content": "c", "channel": "online"}  # fmt: skip
        on_time = services.request_register(by=people.officer, received_on=date(2026, 3, 2), **fields)
        late = services.request_register(by=people.officer, received_on=date(2026, 3, 2), **fields)
        services.request_register(by=people.officer, received_on=date(2026, 3, 2), **fields)
    with time_machine.travel(date(2026, 3, 20), tick=False):
        perform(on_time, "respond", by=people.officer, response_type="disclosed", responded_on=date(2026, 3, 20))
    with time_machine.travel(date(2026, 4, 2), tick=False):
        perform(late, "respond", by=people.officer, response_type="repeat", responded_on=date(2026, 4, 2))
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert stats.published_by_category(start, end) == [{"category": "工作动态", "count": 2}]
    attributes = {row["attribute"]: row["count"] for row in stats.formed_by_attribute(start, end)}
    assert attributes == {"proactive": 2, "on_request": 0, "internal": 0, "not_disclosed": 1}
    assert stats.entry_timeliness(start, end) == {"published": 2, "on_time": 2, "rate": 100.0}
    with time_machine.travel(date(2026, 12, 31), tick=False):
        summary = stats.requests_summary(start, end)
    assert (summary["received"], summary["answered"], summary["on_time"], summary["rate"]) == (3, 2, 1, 50.0)
    assert summary["by_organisation"] == 3 and summary["overdue_open"] == 1
    types = {row["type"]: row["count"] for row in stats.responses_by_type(start, end)}
    assert types["disclosed"] == 1 and types["repeat"] == 1 and len(types) == 7
    assert stats.published_by_category(date(2025, 1, 1), date(2025, 12, 31)) == []
    assert stats.published_by_category(start, end, department=make_user("staff").department) == [
        {"category": "工作动态", "count": 2}
    ]
