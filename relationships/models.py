"""Providers, resellers and customers: built in the issue that follows the agreement."""
