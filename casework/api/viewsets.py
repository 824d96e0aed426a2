"""The base of every API view set."""

from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_not_required
from django.db.models import Model, QuerySet
from rest_framework import viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import User
from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.selectors import clients_for_user

_M = TypeVar("_M", bound=Model)


class HasRulesPermission(BasePermission):
    """The view's django-rules permission, the same as the pages': the one of its action in
    `permissions_by_action` (writes, typically), else `permission_required`."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        by_action: dict[str, str] = getattr(view, "permissions_by_action", {})
        default: str = getattr(view, "permission_required")  # noqa: B009
        return request.user.has_perm(by_action.get(getattr(view, "action", ""), default))


class ApiViewSet(viewsets.GenericViewSet[_M]):
    """Authenticated (session or token), then the same rules permission as the pages."""

    permission_classes = [IsAuthenticated, HasRulesPermission]
    permission_required: str
    permissions_by_action: dict[str, str] = {}

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


class ClientRecordViewSet(ApiViewSet[_M]):
    """A resource of records that belong to one client each (benefit periods, conversations,
    trajecten, ...): only records of clients in the user's scope (clients.selectors, the pages'
    scoping), and every response that shows records writes their clients to the access log.

    `client_path` is the lookup from the record to its client, e.g. "client" or "plan__client".
    Subclasses give `base_queryset()` with the select_related/prefetch_related its serializer
    needs."""

    permission_required = "clients.view_client"
    client_path = "client"
    lookup_value_regex = r"\d+"

    def base_queryset(self) -> QuerySet[_M]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[_M]:
        return self.base_queryset().filter(
            **{f"{self.client_path}__in": clients_for_user(self.user)}
        )

    def client_id_of(self, record: _M) -> int:
        *path, last = self.client_path.split("__")
        owner: Any = record
        for name in path:
            owner = getattr(owner, name)
        return cast(int, getattr(owner, f"{last}_id"))

    def log_access(self, records: Iterable[_M]) -> None:
        record_access(
            request=self.django_request,
            client_ids=sorted({self.client_id_of(record) for record in records}),
            view=f"api:{self.basename}-{self.action}",
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        records = page if page is not None else list(queryset)
        self.log_access(records)
        serializer = self.get_serializer(records, many=True)
        if page is None:
            return Response(serializer.data)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        self.log_access([record])
        return Response(self.get_serializer(record).data)
