"""The portal's URLs and the bench's floor: a bare Django view doing one indexed query.
Served only under ``benchmarks.settings``."""

from django.http import HttpResponse
from django.urls import path

from enrollment.models import Partner
from partnercenter.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def floor(request):
    """One indexed query (a partner by its MPN ID) and a few bytes back."""
    name = Partner.objects.filter(mpn_id=request.GET.get("mpn", "5000001")).values_list(
        "legal_name", flat=True
    )
    return HttpResponse((name.first() or "-").encode(), content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *urlpatterns]
