"""gunicorn's settings for the portal's web workers: ``gunicorn -c python:partnercenter.gunicorn``
(the Dockerfile, the compose file and ``make bench``)."""

import gc

# How many new objects start a collection of the youngest generation (Python's default:
# 700). A page of 50 rows makes tens of thousands; at 700 a request ran five collections
# and every tenth of them the next generation's, about twice the time spent at 10,000.
GEN0_THRESHOLD = 10_000


def post_worker_init(worker):
    """Once a worker has loaded the application: import every view the URLconf names now
    rather than at the first request, then move all that is loaded out of the garbage
    collector's generations (``gc.freeze``). A full collection no longer walks the 170,000
    objects of Django, DRF and the portal's modules: it made about one request in thirty
    some 100 ms slower (issue 12)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])
