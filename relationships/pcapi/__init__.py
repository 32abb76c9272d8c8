"""Partner Center's REST API (``/v1/``): the relationships resources (partnercenter.pcapi has the conventions)."""
