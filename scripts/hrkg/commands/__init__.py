"""One module per `hrkg` subcommand: its arguments and a thin run() over the layers below."""
