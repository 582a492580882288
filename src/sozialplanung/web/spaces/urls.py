from django.urls import path

from . import views

app_name = "spaces"

urlpatterns = [
    path("planung/sozialraeume/", views.scheme_list, name="list"),
    path("planung/sozialraeume/neu/", views.scheme_new, name="new"),
    path("planung/sozialraeume/vergleich/", views.scheme_compare, name="compare"),
    path("planung/sozialraeume/<int:pk>/", views.scheme_detail, name="detail"),
    path("planung/sozialraeume/<int:pk>/karte.geojson", views.scheme_map, name="map"),
    path("planung/sozialraeume/<int:pk>/pruefen/", views.move_check, name="move-check"),
    path("planung/sozialraeume/<int:pk>/verschieben/", views.scheme_move, name="move"),
    path("planung/sozialraeume/<int:pk>/namen/", views.scheme_rename, name="rename"),
    path("planung/sozialraeume/<int:pk>/kopieren/", views.scheme_copy, name="copy"),
    path("planung/sozialraeume/<int:pk>/beschliessen/", views.scheme_adopt, name="adopt"),
    path("planung/sozialraeume/<int:pk>/export.<str:fmt>", views.scheme_export, name="export"),
]
