from django.urls import path

from . import edit_views, priority_views, views

app_name = "strategy"

ITEM = "planung/strategie/<int:pk>/<str:kind>"

urlpatterns = [
    path("planung/strategie/", views.strategy_list, name="list"),
    path("planung/strategie/neu/", edit_views.strategy_new, name="new"),
    path("planung/strategie/meine-massnahmen/", views.my_measures, name="my-measures"),
    path("planung/strategie/massnahme/<int:pk>/", views.measure_detail, name="measure"),
    path("planung/strategie/<int:pk>/", views.strategy_detail, name="detail"),
    path("planung/strategie/<int:pk>/bearbeiten/", edit_views.strategy_edit, name="edit"),
    path("planung/strategie/<int:pk>/fortschreiben/", edit_views.strategy_revise, name="revise"),
    path("planung/strategie/<int:pk>/beschluss/", edit_views.strategy_adopt, name="adopt"),
    path("planung/strategie/<int:pk>/zeitplan/", views.timeline, name="timeline"),
    path("planung/strategie/<int:pk>/budget/", views.budget, name="budget"),
    path("planung/strategie/<int:pk>/ziele/", views.goals, name="goals"),
    path("planung/strategie/<int:pk>/vergleich/", views.compare, name="compare"),
    path("planung/strategie/<int:pk>/verlauf/", views.history, name="history"),
    path("planung/strategie/<int:pk>/strategie.pdf", views.export_pdf, name="pdf"),
    path("planung/strategie/<int:pk>/massnahmen.xlsx", views.export_xlsx, name="xlsx"),
    path(
        "planung/strategie/<int:pk>/prioritaeten/",
        priority_views.priority_overview,
        name="priorities",
    ),
    path("planung/prioritaetenliste/<int:pk>/", priority_views.priority_list, name="priority-list"),
    path(
        "planung/prioritaetenliste/<int:pk>/freigeben/",
        priority_views.priority_approve,
        name="priority-approve",
    ),
    path(f"{ITEM}/neu/", edit_views.item_edit, name="item-new"),
    path(f"{ITEM}/<int:item_pk>/", edit_views.item_edit, name="item-edit"),
    path(f"{ITEM}/<int:item_pk>/loeschen/", edit_views.item_delete, name="item-delete"),
]
