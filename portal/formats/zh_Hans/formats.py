# One date and one datetime format on every page, in tables and forms; ISO first so that
# <input type="date"> gets a value it accepts (Django's zh_Hans renders "2026/11/01").
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-11-01'
    "%Y/%m/%d",  # '2026/11/01'
    "%Y年%m月%d日",  # '2026年11月1日'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # '2026-11-01 08:30'
    "%Y-%m-%d %H:%M:%S",  # '2026-11-01 08:30:15'
    "%Y-%m-%d %H:%M:%S.%f",  # '2026-11-01 08:30:15.000200'
    "%Y/%m/%d %H:%M",  # '2026/11/01 08:30'
    "%Y/%m/%d %H:%M:%S",  # '2026/11/01 08:30:15'
]
