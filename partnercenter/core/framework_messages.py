"""The messages of Django REST framework that reach an API client, in the portal's catalogs.

DRF ships its own translations, and Django finds them (``zh-hans`` -> ``zh_Hans``), but
DRF's Traditional Chinese catalog lacks most of them (no authentication, permission or
throttling message) and its wording is not the portal's. Listing the msgids here puts them
in ``locale/*/LC_MESSAGES/django.po``, which ``LOCALE_PATHS`` ranks above DRF's own: every
framework message an API client meets is answered in its language. The texts are DRF's,
character for character (its ``{placeholders}`` are filled in by DRF with ``str.format``).
Nothing imports this module; ``makemessages`` reads it.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

MESSAGES = (
    # rest_framework.exceptions
    _("A server error occurred."),
    _("Invalid input."),
    _("Malformed request."),
    _("Incorrect authentication credentials."),
    _("Authentication credentials were not provided."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _('Method "{method}" not allowed.'),
    _("Could not satisfy the request Accept header."),
    _('Unsupported media type "{media_type}" in request.'),
    _("Request was throttled."),
    ngettext_lazy("Expected available in {wait} second.", "Expected available in {wait} seconds.", "wait"),
    # rest_framework.authentication (token and session; the API has no basic authentication)
    _("Invalid username/password."),
    _("User inactive or deleted."),
    _("Invalid token header. No credentials provided."),
    _("Invalid token header. Token string should not contain spaces."),
    _("Invalid token header. Token string should not contain invalid characters."),
    _("Invalid token."),
    # rest_framework.authtoken: the admin's model names
    _("Auth Token"),
    _("Token"),
    _("Tokens"),
    _("Key"),
    _("User"),
    # rest_framework.serializers, fields, relations, validators, pagination
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
    _("Enter a valid email address."),
    _("This value does not match the required pattern."),
    _("Enter a valid URL."),
    _("Must be a valid UUID."),
    _("A valid integer is required."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("String value too large."),
    _("A valid number is required."),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _("Expected a datetime but got a date."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Expected a date but got a datetime."),
    _('"{input}" is not a valid choice.'),
    _("This selection may not be empty."),
    _('Expected a list of items but got type "{input_type}".'),
    _("This list may not be empty."),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("This dictionary may not be empty."),
    _("Value must be valid JSON."),
    _("No file was submitted."),
    _("The submitted data was not a file. Check the encoding type on the form."),
    _("No filename could be determined."),
    _("The submitted file is empty."),
    _("Ensure this filename has at most {max_length} characters (it has {length})."),
    _('Invalid pk "{pk_value}" - object does not exist.'),
    _("Incorrect type. Expected pk value, received {data_type}."),
    _("Invalid value."),
    _("This field must be unique."),
    _("The fields {field_names} must make a unique set."),
    _("Invalid page."),
)
