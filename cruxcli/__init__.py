"""cruxcli: structured debates and credence tracking in plain TOML files."""

__version__ = "0.1.0"
