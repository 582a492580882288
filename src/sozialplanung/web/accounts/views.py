from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .decorators import require_login
from .roles import role_of


@require_login
def profile(request: HttpRequest) -> HttpResponse:
    """Who is logged in, in which role, and what that role may do."""
    return render(request, "accounts/profile.html", {"role": role_of(request.user)})


class RoleLoginView(LoginView):
    """Login that sends planners and leaders to planning, providers to their measures, others to
    their account page."""

    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        if self.request.user.has_perm("areas.view_area"):
            return reverse("planning-home")
        if self.request.user.has_perm("strategy.add_progressentry"):
            return reverse("strategy:my-measures")
        return reverse("accounts:profile")
