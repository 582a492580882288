from django.urls import path

from . import planning, self_service, views

app_name = "directory"

urlpatterns = [
    path("angebote/", views.service_search, name="search"),
    path("angebote/export.json", planning.export_json, name="export-json"),
    path("angebote/export.zip", planning.export_package, name="export-zip"),
    path("angebote/elternordner.pdf", views.parents_folder, name="folder"),
    path("angebote/<str:hsds_id>/", views.service_detail, name="detail"),
    path("planung/angebote/", planning.directory_overview, name="planning"),
    path("planung/angebote/versorgung/", planning.coverage_page, name="coverage"),
    path("planung/angebote/pruefen/", self_service.review_queue, name="review"),
    path("planung/angebote/pruefen/<int:pk>/", self_service.review_decide, name="review-decide"),
    path("angebote-pflegen/", self_service.my_entries, name="my-entries"),
    path("angebote-pflegen/neu/", self_service.edit_entry, name="entry-new"),
    path("angebote-pflegen/<str:hsds_id>/", self_service.edit_entry, name="entry-edit"),
    path(
        "angebote-pflegen/<str:hsds_id>/aktuell/", self_service.confirm_entry, name="entry-confirm"
    ),
]
