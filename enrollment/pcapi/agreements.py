"""``GET /v1/agreements[?agreementType=]``: Partner Center's agreement metadata, a collection
of ``AgreementMetaData`` (``enrollment.agreement_types``: the partner agreements here, the
types other apps register). The link is absolute, in the reader's language (``X-Locale``)
where the agreement has one, else in English."""

from django.utils import translation
from rest_framework.response import Response

from partnercenter.pcapi import shapes
from partnercenter.pcapi.errors import field_names

from .. import agreement_types
from .base import PartnerResource, query

OBJECT_TYPE = "AgreementMetaData"


class AgreementMetadataView(PartnerResource):
    def get(self, request):
        with field_names({"agreement_type": "agreementType"}):
            metadata = agreement_types.agreement_metadata(
                query(request, "agreementType"), translation.get_language()
            )
        items = [
            shapes.resource(
                OBJECT_TYPE,
                {
                    "templateId": item.template_id,
                    "agreementType": item.agreement_type,
                    "agreementLink": request.build_absolute_uri(item.agreement_link),
                    "versionRank": item.version_rank,
                },
            )
            for item in metadata
        ]
        return Response(shapes.collection(items))
