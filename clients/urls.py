from django.urls import path

from clients import export_views, import_views, views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("zoekterm-wissen/", views.client_search_clear, name="search-clear"),
    path("nieuw/", views.client_create, name="create"),
    path("export/<str:file_format>/", export_views.client_export, name="export"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/bewerken/", views.client_update, name="update"),
    path("import/", import_views.client_import, name="import"),
    path("import/sjabloon/", import_views.client_import_template, name="import-template"),
]
