"""Stored queries: the catalog and its headers, parameters, one result model, running."""
