"""The SPARQL endpoint, the query page, and the routes other pages plug into."""
