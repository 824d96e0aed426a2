from django.urls import path

from instruments import views

app_name = "instruments"

urlpatterns = [
    path("budget/", views.budget_current, name="budget-current"),
    path("budget/<int:year>/", views.budget_overview, name="budget"),
    path(
        "clienten/<int:client_pk>/trajecten/nieuw/",
        views.trajectory_start,
        name="trajectory-start",
    ),
    path(
        "clienten/<int:client_pk>/trajecten/<int:pk>/beeindigen/",
        views.trajectory_end,
        name="trajectory-end",
    ),
]
