from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("zoekterm-wissen/", views.client_search_clear, name="search-clear"),
    path("nieuw/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/bewerken/", views.client_update, name="update"),
]
