from django.contrib import admin

from .models import Actor


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_example"]
    list_filter = ["kind", "is_example"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
