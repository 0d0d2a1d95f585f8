"""hrkg: build, validate, reason over, query and publish the hamas-russia-kg knowledge graph."""

__version__ = "0.1.0"
