"""The entry point's name, kept while the commands move into their modules."""

from cruxcli.commands.reports import cli, main

__all__ = ["cli", "main"]
