"""Stored queries: catalog, parameters, results, running, and name lookup."""
