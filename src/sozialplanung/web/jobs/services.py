from django.db import transaction

from .models import Job
from .registry import RUNNERS


def start_job(kind: str, *, title: str, params: dict | None = None, user=None) -> Job:
    """Record the job and queue it once the surrounding transaction has committed."""
    from .tasks import run_job

    if kind not in RUNNERS:
        raise LookupError(f"Unbekannte Auftragsart „{kind}“")
    job = Job.objects.create(
        kind=kind,
        title=title,
        params=params or {},
        created_by=user if user is not None and user.is_authenticated else None,
    )

    def enqueue() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job
