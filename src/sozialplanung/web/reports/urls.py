from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("planung/berichte/", views.run_list, name="list"),
    path("planung/berichte/texte/", views.texts, name="texts"),
    path("planung/berichte/<int:pk>/datei/", views.run_file, name="file"),
    path("planung/berichte/ansicht/sozialbericht/", views.report_html, name="html-report"),
    path("planung/berichte/ansicht/thema/<str:topic>/", views.topic_html, name="html-topic"),
    path("planung/berichte/ansicht/profil/<str:key>/", views.profile_html, name="html-profile"),
]
