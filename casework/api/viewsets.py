"""The base of every API view set."""

from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_not_required
from django.db.models import Model
from rest_framework import viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from casework.models import User
from casework.types import AuthenticatedHttpRequest

_M = TypeVar("_M", bound=Model)


class HasRulesPermission(BasePermission):
    """The view's `permission_required` (a django-rules permission, the same as the pages')."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.has_perm(getattr(view, "permission_required"))  # noqa: B009


class ApiViewSet(viewsets.GenericViewSet[_M]):
    """Authenticated (session or token), then the same rules permission as the pages."""

    permission_classes = [IsAuthenticated, HasRulesPermission]
    permission_required: str

    @classmethod
    def as_view(cls, actions: Any = None, **initkwargs: Any) -> Any:
        # DRF authenticates (also by token) and answers 401/403 itself, instead of the
        # LoginRequiredMiddleware's redirect to the log-in page.
        return login_not_required(super().as_view(actions, **initkwargs))

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    @property
    def django_request(self) -> AuthenticatedHttpRequest:
        """For record_access: DRF's request passes `user` and `path` on to Django's."""
        return cast(AuthenticatedHttpRequest, self.request)
