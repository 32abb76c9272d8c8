"""Partner Center's REST API (``/v1/``): the billing resources (partnercenter.pcapi has the conventions)."""
