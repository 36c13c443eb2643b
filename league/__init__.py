"""Practice League: sales coaching run as a sports league."""

__version__ = "0.1.0"
