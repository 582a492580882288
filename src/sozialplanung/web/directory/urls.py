from django.urls import path

from . import planning, views

app_name = "directory"

urlpatterns = [
    path("angebote/", views.service_search, name="search"),
    path("angebote/export.json", planning.export_json, name="export-json"),
    path("angebote/export.zip", planning.export_package, name="export-zip"),
    path("angebote/elternordner.pdf", views.parents_folder, name="folder"),
    path("angebote/<str:hsds_id>/", views.service_detail, name="detail"),
    path("planung/angebote/", planning.directory_overview, name="planning"),
    path("planung/angebote/versorgung/", planning.coverage_page, name="coverage"),
]
