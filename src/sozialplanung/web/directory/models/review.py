"""Changes providers propose to their entries; a planner approves them before they are public."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .core import Service


class ServiceChange(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("new offer")
        EDIT = "edit", _("change")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EDIT)
    # The proposed values of the editable fields (see review.EDITABLE), as plain JSON.
    proposed = models.JSONField(_("proposed values"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    note = models.TextField(_("note to the provider"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(state="pending"),
                name="one_pending_change_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.get_kind_display()} ({self.get_state_display()})"
