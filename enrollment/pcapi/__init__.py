"""Partner Center's REST API (``/v1/``): the enrollment resources (partnercenter.pcapi has the conventions)."""
