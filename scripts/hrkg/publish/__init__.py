"""Publishing the graph: dumps, descriptions, loaders, and views in other models."""
