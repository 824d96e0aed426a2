from django.urls import path

from clients.conversations import views

app_name = "conversations"

urlpatterns = [
    path(
        "<int:client_pk>/gesprekken/nieuw/<slug:kind_slug>/",
        views.conversation_create,
        name="create",
    ),
    path("gesprekken/<int:pk>/", views.conversation_detail, name="detail"),
    path("gesprekken/<int:pk>/bewerken/", views.conversation_update, name="update"),
    path("gesprekken/<int:pk>/aanvulling/", views.conversation_addendum, name="addendum"),
]
