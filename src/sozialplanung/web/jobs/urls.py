from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("planung/auftraege/", views.job_list, name="list"),
    path("planung/auftraege/<int:pk>/", views.job_detail, name="detail"),
    path("planung/auftraege/<int:pk>/status.json", views.job_status, name="status"),
]
