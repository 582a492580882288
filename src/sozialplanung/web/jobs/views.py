from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from sozialplanung.web.accounts.decorators import require_permission

from .models import Job


def _visible(request: HttpRequest):
    jobs = Job.objects.all()
    return jobs if request.user.has_perm("jobs.view_job") else jobs.filter(created_by=request.user)


@require_permission("jobs.view_job")
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": _visible(request)[:50]})


@require_permission("jobs.view_job")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": get_object_or_404(_visible(request), pk=pk)})


@require_permission("jobs.view_job")
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the page polls while a job runs."""
    job = get_object_or_404(_visible(request), pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "message": job.message,
            "error": job.error,
            "finished": job.finished,
        }
    )
