from django.urls import path

from . import editing, upload, views

app_name = "monitoring"

urlpatterns = [
    path("planung/indikatoren/", editing.catalogue, name="catalogue"),
    path("planung/indikatoren/neu/", editing.edit, name="indicator-new"),
    path(
        "planung/indikatoren/geheimhaltung-pruefen/",
        editing.start_disclosure_audit,
        name="disclosure-audit",
    ),
    path("planung/indikatoren/<slug:code>/", editing.edit, name="indicator-edit"),
    path("planung/daten/import/", upload.upload, name="upload"),
    path("planung/daten/import/pruefen/", upload.upload_preview, name="upload-preview"),
    path("monitoring/", views.overview, name="overview"),
    path("monitoring/profil/<str:key>/", views.area_profile, name="profile"),
    path("monitoring/thema/<slug:topic>/", views.topic_page, name="topic"),
    path("monitoring/<slug:code>/", views.indicator_page, name="indicator"),
    path("monitoring/<slug:code>/karte.geojson", views.indicator_geojson, name="geojson"),
    path("monitoring/<slug:code>/export.<str:fmt>", views.export, name="export"),
    path("monitoring/<slug:code>/gebiet/<str:key>/", views.area_series, name="series"),
    path(
        "monitoring/<slug:code>/herkunft/<str:key>/<int:year>/",
        views.provenance,
        name="provenance",
    ),
]
