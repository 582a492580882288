"""Readers and writers for outside file formats (geodata, CSV tables)."""
