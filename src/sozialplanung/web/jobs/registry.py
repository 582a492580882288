"""Which function runs a job of which kind; domain apps register theirs in their jobs.py."""

from collections.abc import Callable

from django.utils import timezone

from .models import Job

Runner = Callable[[Job, "Progress"], dict]
RUNNERS: dict[str, Runner] = {}


def register(kind: str) -> Callable[[Runner], Runner]:
    def decorator(runner: Runner) -> Runner:
        RUNNERS[kind] = runner
        return runner

    return decorator


class Progress:
    """Reports how far a job got; each report is saved at once so the page can poll it."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, share: float, message: str = "") -> None:
        self.job.progress = max(0.0, min(1.0, share))
        self.job.message = message[:300]
        self.job.save(update_fields=["progress", "message"])


def run(job: Job) -> Job:
    """Run a job to its end; a failure is stored with its message, never swallowed."""
    runner = RUNNERS.get(job.kind)
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        if runner is None:
            raise LookupError(f"Unbekannte Auftragsart „{job.kind}“")
        job.result = runner(job, Progress(job)) or {}
    except Exception as error:  # noqa: BLE001 - every failure must reach the user
        job.status, job.error = Job.Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        job.status, job.progress = Job.Status.DONE, 1.0
    job.finished_at = timezone.now()
    job.save()
    return job
