"""English as read in a Vietnamese shop: dates shown unambiguously (``5 Mar 2026``),
typed dates read day first like in Vietnamese (``05/03/2026`` is 5 March), ISO always;
numbers keep English separators (``1,250,000.5``)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '05/03/2026'
    "%d-%m-%Y",  # '05-03-2026'
    "%Y-%m-%d",  # '2026-03-05'
    "%d %b %Y",  # '5 Mar 2026' (as DATE_FORMAT shows it)
    "%d %B %Y",  # '5 March 2026'
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
