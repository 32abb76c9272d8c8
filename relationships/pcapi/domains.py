"""Domain availability, Partner Center's two ways: ``GET
/v1/validations/checkdomainavailability/{prefix}`` (a JSON boolean, true when
``<prefix>.onmicrosoft.com`` is free) and ``HEAD /v1/domains/{domain}`` (200 when a tenant
has the domain, 404 when it is free; no body). Both ask ``accounts.selectors.domain_taken``."""

from rest_framework import status
from rest_framework.response import Response

from partnercenter.accounts.selectors import domain_taken
from partnercenter.accounts.services import domain_for_prefix, domain_prefix_errors
from partnercenter.core.errors import InvalidInput
from partnercenter.pcapi.views import PartnerCenterView

DOMAIN_MAX = 253  # RFC 1035


class CheckDomainAvailabilityView(PartnerCenterView):
    def get(self, request, prefix):
        if domain_taken(domain_for_prefix(prefix)):
            return Response(False)
        if errors := domain_prefix_errors(prefix):  # not a prefix a tenant could have
            raise InvalidInput({"domainPrefix": errors})
        return Response(True)


class DomainView(PartnerCenterView):
    def head(self, request, domain):
        taken = len(domain) <= DOMAIN_MAX and domain_taken(domain)
        return Response(status=status.HTTP_200_OK if taken else status.HTTP_404_NOT_FOUND)
