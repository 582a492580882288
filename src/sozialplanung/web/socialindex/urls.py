from django.urls import path

from . import views

app_name = "socialindex"

urlpatterns = [
    path("planung/sozialindex/", views.definition_list, name="list"),
    path("planung/sozialindex/neu/", views.definition_edit, name="new"),
    path("planung/sozialindex/<int:pk>/", views.definition_detail, name="detail"),
    path("planung/sozialindex/<int:pk>/bearbeiten/", views.definition_edit, name="edit"),
    path("planung/sozialindex/<int:pk>/kopieren/", views.definition_copy, name="copy"),
    path("planung/sozialindex/<int:pk>/beschliessen/", views.definition_adopt, name="adopt"),
    path("planung/sozialindex/<int:pk>/berechnen/", views.run_start, name="run-start"),
    path("planung/sozialindex/lauf/<int:pk>/", views.run_detail, name="run"),
    path("planung/sozialindex/lauf/<int:pk>/karte.geojson", views.run_geojson, name="run-geojson"),
    path("planung/sozialindex/lauf/<int:pk>/export.<str:fmt>", views.run_export, name="run-export"),
]
