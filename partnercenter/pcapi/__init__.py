"""Partner Center's own REST API (``/v1/``, issue 14): the conventions every resource shares.

A provider points its Partner Center automation (the ``partnercenterservices`` SDK, the
PowerShell module, plain HTTP) at the portal by changing one base URL. The resources live
with their layer (``enrollment.pcapi``, ``relationships.pcapi``, ``billing.pcapi``) and call
the same selectors and services as the pages and ``/api/v1/``; this package holds only what
they share, each convention once:

- ``views.PartnerCenterView``: bearer tokens only, ``X-Locale``, ``MS-CorrelationId`` echoed
  and logged, errors in Partner Center's shape (``errors``);
- ``shapes``: a resource's ``attributes.objectType`` and ``links.self``, a collection;
- ``paging``: ``size`` and seek (``seekOperation=Next`` with ``MS-ContinuationToken``);
- ``idempotency``: ``MS-RequestId`` makes a create happen once.
"""
