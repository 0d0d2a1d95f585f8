"""Stored queries: catalog, parameters, results, running, and what a query would do."""
