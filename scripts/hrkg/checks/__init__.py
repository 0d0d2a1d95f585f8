"""Quality checks on the parsed graph: violation queries, coverage of sources, Wikidata links."""
