# The portal's date formats (settings.FORMAT_MODULE_PATH), over Django's: no "г." after the
# year (Django's ends with it, and a sentence's own full stop made "г.."), and a date and
# time always says its zone ("T": UTC, the portal's time zone).
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, G:i T"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i T"
