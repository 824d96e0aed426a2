from django.urls import path

from clients.plans import views

app_name = "plans"

urlpatterns = [
    path("<int:client_pk>/plan/", views.plan_detail, name="detail"),
    path("<int:client_pk>/plan/<int:pk>/", views.plan_detail, name="version"),
    path("<int:client_pk>/plan/nieuw/", views.plan_create, name="create"),
    path("<int:client_pk>/plan/bewerken/", views.plan_update, name="update"),
    path("<int:client_pk>/plan/ondertekening/", views.plan_signatures, name="signatures"),
    path(
        "<int:client_pk>/plan/afspraken/<int:pk>/status/",
        views.agreement_status,
        name="agreement-status",
    ),
    path("<int:client_pk>/plan/pdf/", views.plan_pdf, name="pdf"),
]
