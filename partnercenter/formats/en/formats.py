# The portal's date formats (settings.FORMAT_MODULE_PATH), over Django's: a date and time
# always says its zone ("T": UTC, the portal's time zone).
DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
