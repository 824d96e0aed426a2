from django.urls import path

from clients.privacy import views

app_name = "privacy"

urlpatterns = [
    path("toegangslog/", views.access_log, name="access-log"),
    path(
        "toegangslog/export/<str:file_format>/",
        views.access_log_export,
        name="access-log-export",
    ),
    path("inzage/", views.subject_access, name="subject-access"),
]
