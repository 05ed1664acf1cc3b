import datetime

from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

WHEN = timezone.make_aware(datetime.datetime(2026, 11, 1, 8, 5))


def test_dates_read_the_same_everywhere_in_chinese():
    template = Template(
        "{{ day }}|{{ when }}|{{ day|date }}|{{ when|date:'DATETIME_FORMAT' }}|{{ day|date:'SHORT_DATE_FORMAT' }}"
    )
    with translation.override("zh-hans"):
        text = template.render(Context({"day": WHEN.date(), "when": WHEN}))
    assert text == "2026-11-01|2026-11-01 08:05|2026-11-01|2026-11-01 08:05|2026-11-01"


def test_a_date_input_gets_an_iso_value_and_reads_what_chinese_users_type():
    class Form(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override("zh-hans"):
        assert 'value="2026-11-01"' in str(Form(initial={"day": WHEN.date()})["day"])
        for typed in ("2026-11-01", "2026/11/01"):
            form = Form({"day": typed})
            assert form.is_valid() and form.cleaned_data["day"] == WHEN.date()
