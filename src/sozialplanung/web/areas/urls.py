from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("karte/", views.map_page, name="map"),
    path("karte/gemeinden.geojson", views.municipalities_geojson, name="municipalities-geojson"),
    path("gebiet/<str:key>/", views.area_detail, name="detail"),
    path("gebiet/<str:key>/karte.geojson", views.area_geojson, name="detail-geojson"),
    path("planung/gebiete/", views.planning_areas, name="planning"),
    path("planung/gebiete/import/", views.area_import, name="import"),
]
