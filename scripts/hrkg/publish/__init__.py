"""Publishing the built graph: dumps, VoID, docs, the Linked Data site."""
