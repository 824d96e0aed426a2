"""Forms of the access log search and the subject access request. A BSN is only ever posted:
it must not end up in a URL (browser history, server logs); the log search is by client number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import User
from clients.forms import BsnField, DateInput
from clients.models import Client
from clients.privacy import selectors


class ClientNumberField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Client number"), min_value=1, **kwargs)


class ClientLookupForm(forms.Form):
    """A client by BSN, or by client number when `client_number` is a field too; `client` is the
    one found."""

    bsn = BsnField(required=False)

    client: Client

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        bsn, number = cleaned.get("bsn"), cleaned.get("client_number")
        if bsn and number:
            raise forms.ValidationError(
                _("Fill in either the BSN or the client number, not both."), code="both"
            )
        if bsn:
            found = selectors.find_client_by_bsn(bsn)
            if found is None:
                self.add_error("bsn", _("There is no client with this BSN."))
        elif number:
            found = selectors.find_client(number)
            if found is None:
                self.add_error("client_number", _("There is no client with this number."))
        else:
            raise forms.ValidationError(
                _("Fill in the client's BSN or client number."), code="required"
            )
        if found is not None:
            self.client = found
        return cleaned


class BsnSearchForm(ClientLookupForm):
    """The access log search by BSN; it leads to the search by client number."""

    bsn = BsnField()


class SubjectAccessForm(ClientLookupForm):
    client_number = ClientNumberField(required=False)


class AccessLogFilterForm(forms.Form):
    """The access log search, in the URL (GET): by client number or user, and days and view."""

    client = ClientNumberField(required=False)
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    view = forms.CharField(
        label=_("Page"),
        required=False,
        max_length=100,
        help_text=_('A page\'s name such as "clients:detail", or "clients:" for all of an app.'),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.log_users()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and cleaned.get("client") is None and cleaned.get("user") is None:
            raise forms.ValidationError(
                _("Choose a client or a user to search the log."), code="required"
            )
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date lies before the start date."))
        return cleaned

    def search_arguments(self) -> dict[str, Any]:
        """The arguments of clients.privacy.selectors.access_log."""
        data = self.cleaned_data
        return {
            "client_id": data["client"],
            "user": data["user"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "view": data["view"].strip(),
        }
