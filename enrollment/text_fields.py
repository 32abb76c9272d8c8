"""The application's required texts, each with its own sentences (never a label pasted
into a shared one) and its length limit; ``rules`` checks them."""

from django.utils.translation import gettext_lazy, ngettext_lazy

from partnercenter.core.text_fields import PERSON_NAME_MAX, TextField

NAME_MAX = PERSON_NAME_MAX
COMPANY_NAME_MAX = 200
LINE_MAX = 200
CITY_MAX = 100
STATE_MAX = 100
POSTAL_CODE_MAX = 20
HOLDER_NAME_MAX = 100


COMPANY_NAME = TextField(
    gettext_lazy("Enter the legal company name."),
    ngettext_lazy(
        "Shorten the legal company name to at most %(max)d character (it has %(length)d).",
        "Shorten the legal company name to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    COMPANY_NAME_MAX,
)
STREET_ADDRESS = TextField(
    gettext_lazy("Enter the street address."),
    ngettext_lazy(
        "Shorten the street address to at most %(max)d character (it has %(length)d).",
        "Shorten the street address to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    LINE_MAX,
)
CITY = TextField(
    gettext_lazy("Enter the city."),
    ngettext_lazy(
        "Shorten the city to at most %(max)d character (it has %(length)d).",
        "Shorten the city to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    CITY_MAX,
)
POSTAL_CODE = TextField(
    gettext_lazy("Enter the postal code."),
    ngettext_lazy(
        "Shorten the postal code to at most %(max)d character (it has %(length)d).",
        "Shorten the postal code to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    POSTAL_CODE_MAX,
)
STATE = TextField(
    gettext_lazy("Enter the state or province."),
    ngettext_lazy(
        "Shorten the state or province to at most %(max)d character (it has %(length)d).",
        "Shorten the state or province to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    STATE_MAX,
)
HOLDER_NAME = TextField(
    gettext_lazy("Enter the account holder's name."),
    ngettext_lazy(
        "Shorten the account holder's name to at most %(max)d character (it has %(length)d).",
        "Shorten the account holder's name to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    HOLDER_NAME_MAX,
)
