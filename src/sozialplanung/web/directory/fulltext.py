"""Full-text search over services: the one place with engine-specific SQL.

PostgreSQL stems with its own ``german`` configuration (a stored ``to_tsvector`` column under
a GIN index, ``websearch_to_tsquery`` for what people type). SQLite's FTS5 has no German
stemmer, so the text and the query are stemmed in Python with the German Snowball stemmer and
FTS5 matches the stems (prefixes too, so a half-typed word already finds something). Both rank
by relevance.
"""

import re
from collections.abc import Iterable

import snowballstemmer
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import SearchEntry, Service

FTS_TABLE = "directory_fts"
WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("german")


def stem(text: str) -> str:
    """Lower-case Snowball stems of the words, ß and umlauts folded as the stemmer does."""
    words = WORD.findall(text.lower())
    return " ".join(_stemmer.stemWords(words))


def document_text(service: Service) -> str:
    """What a service is found by: names, descriptions, organisation, life situations, places."""
    places = []
    for at in service.at_locations.all():
        location = at.location
        places += [location.name, *(a.city for a in location.addresses.all())]
        if location.municipality:
            places.append(location.municipality.name)
    parts = [
        service.name,
        service.alternate_name,
        service.description,
        service.eligibility_description,
        service.organization.name,
        *(term.name for term in service.terms.all()),
        *(language.name for language in service.languages.all()),
        *places,
    ]
    return "\n".join(p for p in parts if p)


def reindex(services: Iterable[Service]) -> None:
    """Store the search text of each service and update the engine's index."""
    services = list(services)
    for service in services:
        body = document_text(service)
        SearchEntry.objects.update_or_create(
            service=service, defaults={"body": body, "stemmed": stem(body)}
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            ids = [s.pk for s in services]
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in ids])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, body) "
                "SELECT service_id, stemmed FROM directory_searchentry WHERE service_id = %s",
                [(i,) for i in ids],
            )


def matching(services: QuerySet, query: str) -> QuerySet:
    """The services that match ``query``, annotated with ``text_rank`` (higher is better).

    Both the match and the rank are subqueries, so the caller can go on filtering, counting
    and paging in SQL.
    """
    if connection.vendor == "postgresql":
        match = "body_tsv @@ websearch_to_tsquery('german', %s)"
        ids = RawSQL(f"SELECT service_id FROM directory_searchentry WHERE {match}", [query])
        rank = RawSQL(
            "(SELECT ts_rank(body_tsv, websearch_to_tsquery('german', %s)) "
            "FROM directory_searchentry WHERE service_id = directory_service.id)",
            [query],
        )
    else:
        stems = stem(query).split()
        if not stems:
            return services.none()
        words = " AND ".join(f'"{s}"*' for s in stems)
        ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [words])
        rank = RawSQL(
            f"(SELECT -rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            "AND rowid = directory_service.id)",
            [words],
        )
    return services.filter(pk__in=ids).annotate(text_rank=rank)


def matching_ids(query: str) -> list[int]:
    """Service pks that match ``query``, best first."""
    services = matching(Service.objects.all(), query).order_by("-text_rank", "pk")
    return list(services.values_list("pk", flat=True))


# Run by the migration that creates the index for the engine in use.
def create_index(schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif schema_editor.connection.vendor == "postgresql":
        # The stemmed vector is stored, so ranking does not re-parse every matching text.
        schema_editor.execute(
            "ALTER TABLE directory_searchentry ADD COLUMN IF NOT EXISTS body_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('german', body)) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_searchentry_german ON directory_searchentry "
            "USING GIN (body_tsv)"
        )


def drop_index(schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchentry_german")
        schema_editor.execute("ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS body_tsv")
