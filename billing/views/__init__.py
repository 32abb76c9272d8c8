"""Billing's pages, one module per part of commerce (thin: selectors read, services write)."""
