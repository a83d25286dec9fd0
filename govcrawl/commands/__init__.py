"""One module per `govcrawl` subcommand; each defines add_parser(subparsers)."""
