"""Computing a scheme of social spaces as a background job."""

from sozialplanung.web.jobs.registry import register

from .models import SpaceScheme
from .services import compute_scheme


@register("spaces.compute")
def compute(job, progress) -> dict:
    return compute_scheme(
        SpaceScheme.objects.select_related("county").get(pk=job.params["scheme"]), progress
    )
