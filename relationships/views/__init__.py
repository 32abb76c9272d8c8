"""Pages: providers and resellers (``providers``), customers (``customers``)."""
