"""The text a service is found by, kept beside it; ``fulltext.py`` indexes it per engine."""

from django.db import models

from .core import Service


class SearchEntry(models.Model):
    service = models.OneToOneField(
        Service, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    body = models.TextField()
    # The body stemmed for SQLite's FTS5, which has no German stemmer of its own.
    stemmed = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Suchtext: {self.service_id}"
