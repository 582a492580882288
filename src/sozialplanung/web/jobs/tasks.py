"""The one task every job goes through, run by the django-tasks worker."""

from django_tasks import task

from .models import Job
from .registry import run


@task()
def run_job(job_id: int) -> str:
    return run(Job.objects.get(pk=job_id)).status
