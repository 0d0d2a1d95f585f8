"""The build pipeline: parse and assemble, SHACL, closure, and the steps that tie them together."""
