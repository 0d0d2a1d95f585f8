"""Publishing: dumps, VoID, ontology docs, the atomic swap of dist/, loading into stores."""
