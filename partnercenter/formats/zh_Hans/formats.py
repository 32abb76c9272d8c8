# The portal's date formats (settings.FORMAT_MODULE_PATH), over Django's: a date and time
# always says its zone ("T": UTC, the portal's time zone).
DATETIME_FORMAT = "Y年n月j日 H:i T"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i T"
