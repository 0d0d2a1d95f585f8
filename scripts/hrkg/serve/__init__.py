"""The read-only SPARQL endpoint and the query page."""
