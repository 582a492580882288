"""Reads of the social index that other domains use: the run of the index in force."""

from .models import IndexDefinition, IndexRun


def latest_adopted_run(level: str = IndexRun.Level.MUNICIPALITY) -> IndexRun | None:
    """The latest run with results of the newest adopted index, on municipalities by default."""
    definition = (
        IndexDefinition.objects.filter(status=IndexDefinition.Status.ADOPTED)
        .order_by("-adopted_at", "-pk")
        .first()
    )
    if definition is None:
        return None
    return (
        definition.runs.filter(level=level, results__isnull=False)
        .select_related("definition")
        .order_by("-year", "-pk")
        .distinct()
        .first()
    )
