from django.urls import path

from clients import bsn_views, delete_views, export_views, import_views, views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("zoekterm-wissen/", views.client_search_clear, name="search-clear"),
    path("nieuw/", views.client_create, name="create"),
    path("export/<str:file_format>/", export_views.client_export, name="export"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/bewerken/", views.client_update, name="update"),
    # Deleting a client registered in error (issue 7), in sudo mode.
    path("<int:pk>/verwijderen/", delete_views.client_delete, name="delete"),
    # BSN encryption (issue 7): the full BSN on an explicit, access-logged request.
    path("<int:pk>/bsn/", bsn_views.client_bsn_show, name="bsn-show"),
    path("import/", import_views.client_import, name="import"),
    path("import/sjabloon/", import_views.client_import_template, name="import-template"),
]
