"""Django set-up for CLI commands, shared by every command module."""

import os
from collections.abc import Callable
from functools import wraps

import click


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sozialplanung.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise click.ClickException(f"Konfigurationsfehler: {error}") from None


def with_django(command: Callable) -> Callable:
    """Set Django up first and turn expected failures into one-line messages."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        _setup_django()
        from django.db import DatabaseError

        from sozialplanung.io.area_files import AreaFileError

        try:
            return command(*args, **kwargs)
        except AreaFileError as error:
            raise click.ClickException(f"Nicht importiert, nichts geändert: {error}") from None
        except DatabaseError as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise click.ClickException(
                f"Datenbankfehler: {first_line}. Ist die Datenbank eingerichtet "
                "(sozialplanung migrate)?"
            ) from None

    return wrapper
