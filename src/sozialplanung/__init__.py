"""Sozialplanung: integrated social planning and poverty prevention for German counties."""

__version__ = "0.1.0"
