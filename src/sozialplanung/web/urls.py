from django.contrib import admin
from django.urls import include, path

from sozialplanung.web.areas import views as area_views

from . import views

urlpatterns = [
    path("", area_views.home, name="home"),
    path("planung/", views.planning_home, name="planning-home"),
    path("", include("sozialplanung.web.accounts.urls")),
    path("", include("sozialplanung.web.areas.urls")),
    path("", include("sozialplanung.web.monitoring.urls")),
    path("", include("sozialplanung.web.jobs.urls")),
    path("", include("sozialplanung.web.socialindex.urls")),
    path("", include("sozialplanung.web.spaces.urls")),
    path("", include("sozialplanung.web.reports.urls")),
    path("", include("sozialplanung.web.strategy.urls")),
    path("", include("sozialplanung.web.directory.urls")),
    path("verwaltung/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
