from django.urls import path

from instruments import employer_views, views

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

# Employer services (werkgeversdienstverlening).
urlpatterns += [
    path("werkgevers/", employer_views.employer_list, name="employer-list"),
    path("werkgevers/nieuw/", employer_views.employer_create, name="employer-create"),
    path("werkgevers/<int:pk>/", employer_views.employer_detail, name="employer-detail"),
    path(
        "werkgevers/<int:pk>/vacatures/nieuw/",
        employer_views.vacancy_create,
        name="vacancy-create",
    ),
]
