from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .decorators import require_login
from .roles import role_of


@require_login
def profile(request: HttpRequest) -> HttpResponse:
    """Who is logged in, in which role, and what that role may do."""
    return render(request, "accounts/profile.html", {"role": role_of(request.user)})
