from django.urls import path

from monitoring import dashboard_views, report_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("monitor/", report_views.report_list, name="monitor-list"),
    path("monitor/aanvragen/", report_views.report_request, name="monitor-request"),
    path("monitor/<int:pk>/", report_views.report_detail, name="monitor-detail"),
    path("monitor/<int:pk>/status/", report_views.report_status, name="monitor-status"),
    path("monitor/<int:pk>/opnieuw/", report_views.report_rebuild, name="monitor-rebuild"),
    path(
        "monitor/<int:pk>/<str:file_format>/",
        report_views.report_download,
        name="monitor-download",
    ),
]
