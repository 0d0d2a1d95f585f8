"""Quality checks over the assembled graph: violation queries, coverage, links, counts."""
