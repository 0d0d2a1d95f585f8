"""Publishing the built graph: dumps, VoID, docs, loading; site/, export/, wikidata/."""
