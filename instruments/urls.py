from django.urls import path

from instruments import employer_views, views, work_views

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
    path(
        "werkgevers/<int:pk>/vacatures/<int:vacancy_pk>/kandidaten/",
        employer_views.vacancy_candidates,
        name="vacancy-candidates",
    ),
]

# Work profile and placements on the dossier.
urlpatterns += [
    path(
        "clienten/<int:client_pk>/werk/profiel/",
        work_views.work_profile_edit,
        name="work-profile",
    ),
    path(
        "clienten/<int:client_pk>/werk/plaatsingen/nieuw/",
        work_views.placement_create,
        name="placement-create",
    ),
    path(
        "clienten/<int:client_pk>/werk/plaatsingen/<int:pk>/beeindigen/",
        work_views.placement_end,
        name="placement-end",
    ),
]
