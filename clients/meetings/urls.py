from django.urls import path

from clients.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nieuw/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/bewerken/", views.meeting_update, name="update"),
    path("<int:pk>/uitnodigen/", views.meeting_invite, name="invite"),
    path("<int:pk>/uitnodigen/zoeken/", views.meeting_invite_search, name="invite-search"),
    path("clienten/<int:client_pk>/uitnodigen/", views.client_invite, name="invite-client"),
]
