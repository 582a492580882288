"""``python -m sozialplanung``: the same as the ``sozialplanung`` command."""

from sozialplanung.cli import main

main()
