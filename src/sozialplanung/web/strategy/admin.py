from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Goal, Guideline, Measure, Milestone, PriorityList, ProgressEntry, Strategy


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "status", "council_decision_date"]


@admin.register(Guideline, Goal, Milestone, ProgressEntry, PriorityList)
class ItemAdmin(SimpleHistoryAdmin):
    pass


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "strategy", "status", "responsible", "is_example"]
    list_filter = ["status", "is_example"]
