"""The social index run as a background job."""

from sozialplanung.web.jobs.registry import register

from .computing import compute_run
from .models import IndexRun


@register("socialindex.run")
def run_index(job, progress) -> dict:
    return compute_run(
        IndexRun.objects.select_related("definition").get(pk=job.params["run"]), progress
    )
