"""Agreement metadata by agreement type (Partner Center's ``GET /v1/agreements``): which
agreement templates are current, each with its link and its version's rank.

The partner agreements are enrollment's (``MicrosoftPartnerAgreement``: the current
agreement of each program, ``AgreementTemplate``). The customer agreements belong to the
apps above, which enrollment may not import (the layer rule): an app registers the source
of its type when it is ready (``register_agreement_type``, as billing registers its revenue
in ``restrictions``). A type Partner Center names that no app serves has no metadata here
(``MicrosoftCloudAgreement``, replaced by the Microsoft Customer Agreement in 2021).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from partnercenter.core.errors import InvalidInput

from . import selectors

MICROSOFT_CLOUD_AGREEMENT = "MicrosoftCloudAgreement"
MICROSOFT_CUSTOMER_AGREEMENT = "MicrosoftCustomerAgreement"
MICROSOFT_PARTNER_AGREEMENT = "MicrosoftPartnerAgreement"
# Every type ("*" as Partner Center writes it; "All" too).
ALL = ("*", "all")
# Without a type, Partner Center answers the Microsoft Cloud Agreement ("for backward
# compatibility").
DEFAULT = MICROSOFT_CLOUD_AGREEMENT


@dataclass(frozen=True)
class AgreementMetadata:
    template_id: str
    agreement_type: str
    # A URL, or a path of the portal (the API makes it absolute).
    agreement_link: str
    version_rank: int


# language (the reader's) -> the metadata of the type's current templates
MetadataSource = Callable[[str], Iterable[AgreementMetadata]]


def partner_agreements(language: str) -> list[AgreementMetadata]:
    """The current agreement of each program, in ``language`` or else English (one query)."""
    chosen = selectors.current_agreements_in(
        [language], selectors.with_version_rank(selectors.current_agreement_templates())
    )
    return [
        AgreementMetadata(
            template_id=str(template.pk),
            agreement_type=MICROSOFT_PARTNER_AGREEMENT,
            agreement_link=reverse("enrollment:agreement-template", kwargs={"template_id": template.pk}),
            version_rank=template.version_rank,
        )
        for _program, template in sorted(chosen.items())
    ]


# The types in the order they are listed; None: known, no app serves it.
_sources: dict[str, MetadataSource | None] = {
    MICROSOFT_CLOUD_AGREEMENT: None,
    MICROSOFT_CUSTOMER_AGREEMENT: None,
    MICROSOFT_PARTNER_AGREEMENT: partner_agreements,
}


def register_agreement_type(agreement_type: str, source: MetadataSource) -> None:
    """An app serves the metadata of ``agreement_type``: ``source(language)`` gives its
    current templates (relationships: the Microsoft Customer Agreement)."""
    _sources[agreement_type] = source


def agreement_types() -> tuple[str, ...]:
    return tuple(_sources)


def agreement_metadata(agreement_type: str | None, language: str) -> list[AgreementMetadata]:
    """The metadata of one type (named in any case), of every type (``*`` or ``All``), or of
    ``DEFAULT`` when none is named. ``InvalidInput`` on ``agreement_type`` for a type that
    is none of these."""
    wanted = (agreement_type or "").strip() or DEFAULT
    if wanted.lower() in ALL:
        types = list(_sources)
    else:
        types = [name for name in _sources if name.lower() == wanted.lower()]
        if not types:
            raise InvalidInput.on(
                "agreement_type",
                _("%(type)s is not an agreement type. Use one of: %(types)s, or * for all of them.")
                % {"type": wanted[:100], "types": ", ".join(_sources)},
            )
    return [item for name in types if (source := _sources[name]) for item in source(language)]
