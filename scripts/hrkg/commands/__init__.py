"""The thin `hrkg` subcommands: add_arguments(parser) and run(args) -> int."""
