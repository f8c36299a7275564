"""Vietnamese: day first (``05/03/2026``), ``1.250.000,5`` for numbers."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday (Thứ Hai)

# The first of each list is how a text date input shows its value: keep it day first.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '05/03/2026'
    "%d-%m-%Y",  # '05-03-2026'
    "%Y-%m-%d",  # '2026-03-05' (ISO: <input type="date">, imports)
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",  # '05/03/2026 14:30:59'
    "%d/%m/%Y %H:%M",  # '05/03/2026 14:30'
    "%d/%m/%Y",  # '05/03/2026'
    "%d-%m-%Y %H:%M:%S",  # '05-03-2026 14:30:59'
    "%d-%m-%Y %H:%M",  # '05-03-2026 14:30'
    "%d-%m-%Y",  # '05-03-2026'
    "%Y-%m-%d %H:%M:%S",  # '2026-03-05 14:30:59'
    "%Y-%m-%d %H:%M:%S.%f",  # '2026-03-05 14:30:59.000200'
    "%Y-%m-%d %H:%M",  # '2026-03-05 14:30'
    "%Y-%m-%d",  # '2026-03-05'
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
