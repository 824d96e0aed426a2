"""One form per conversation kind, with the fields in the order of the conversation. The form
checks what a draft needs (what is filled in is valid); clients.conversations.services checks
what completing needs, and its errors come back onto the fields (add_service_errors)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.selectors import team_consultants
from clients.conversations import selectors
from clients.conversations.services import REQUIRED_TO_COMPLETE, ReviewInput, ScoreInput
from clients.forms import DateInput
from clients.models import (
    Agreement,
    AgreementStatus,
    Conversation,
    ConversationAddendum,
    ConversationKind,
    LifeDomain,
    Meeting,
    Partner,
    ScreeningQuestion,
)

if TYPE_CHECKING:
    from casework.models import User
    from clients.models import Client

BASE_FIELDS = ["held_on", "consultant", "location"]

# The fields of each kind, in the order of the conversation; the report (notes) comes last.
KIND_FIELDS: dict[str, list[str]] = {
    ConversationKind.SCREENING: [
        *BASE_FIELDS,
        "checklist",
        "legality_judgement",
        "urgent_need",
        "urgent_action",
        "referred_to",
        "screening_outcome",
        "notes",
    ],
    ConversationKind.AMBITION: [
        *BASE_FIELDS,
        "ambition",
        "preferred_group",
        "advised_group",
        "new_group",
        "chosen_by_client",
        "group_change_reason",
        "ladder_step",
        "ladder_target",
        "rights_and_duties_explained",
        "kickoff",
        "notes",
    ],
    ConversationKind.PROGRESS: [
        *BASE_FIELDS,
        "wellbeing",
        "living_situation",
        "minima_discussed",
        "debts_discussed",
        "legality_checked",
        "group_still_right",
        "new_group",
        "chosen_by_client",
        "group_change_reason",
        "ladder_step",
        "ladder_target",
        "notes",
    ],
    ConversationKind.LEGALITY_REVIEW: [*BASE_FIELDS, "legality_judgement", "notes"],
    ConversationKind.COACHING: [*BASE_FIELDS, "notes"],
    ConversationKind.AFTERCARE: [*BASE_FIELDS, "notes"],
}

# Self-reliance, 1 (not at all) to 5 (fully); the labels say what a score means.
SCALE = [
    (1, _("1: acute problems")),
    (2, _("2: not self-reliant")),
    (3, _("3: barely self-reliant")),
    (4, _("4: sufficiently self-reliant")),
    (5, _("5: fully self-reliant")),
]
YES_NO = [("True", _("Yes")), ("False", _("No"))]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _without_blank(choices: Any) -> list[tuple[str, Any]]:
    return [(value, label) for value, label in choices if value != ""]


class KickoffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        group = f" · {obj.group.name}" if obj.group else ""
        return f"{obj.title} · {obj.date:%d-%m-%Y} {obj.start_time:%H:%M} · {obj.place}{group}"


class ConversationForm(forms.ModelForm):
    """A conversation of one kind for one client. Fields a draft may leave empty are optional
    here; REQUIRED_TO_COMPLETE marks them with a help text."""

    class Meta:
        model = Conversation
        fields = sorted({name for names in KIND_FIELDS.values() for name in names})
        field_classes = {"kickoff": KickoffChoiceField}
        widgets = {
            "held_on": DateInput(),
            "location": forms.RadioSelect,
            "checklist": forms.CheckboxSelectMultiple,
            "legality_judgement": forms.RadioSelect,
            "urgent_need": forms.RadioSelect,
            "urgent_action": _textarea(),
            "referred_to": forms.CheckboxSelectMultiple,
            "screening_outcome": forms.RadioSelect,
            "ambition": _textarea(),
            "group_change_reason": _textarea(2),
            "rights_and_duties_explained": forms.RadioSelect(choices=YES_NO),
            "wellbeing": _textarea(),
            "living_situation": _textarea(),
            "group_still_right": forms.RadioSelect(choices=YES_NO),
            "notes": _textarea(6),
        }

    def __init__(
        self,
        *args: Any,
        kind: str,
        client: Client,
        user: User,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.client = client
        wanted = KIND_FIELDS[kind]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name, field in self.fields.items():
            # Date and consultant are needed even for a draft; the rest only to complete.
            if name not in ("held_on", "consultant"):
                field.required = False
            if isinstance(field, forms.TypedChoiceField):
                # Radio buttons without the "---------" choice: nothing checked is empty.
                field.choices = _without_blank(field.choices)
        for name in REQUIRED_TO_COMPLETE[kind]:
            if name in self.fields:
                self.fields[name].help_text = _("Needed to complete the conversation.")
        if "new_group" in self.fields:
            needed = self.fields["new_group"].help_text
            guide = gettext("The criteria below are a guide, never a block: the client chooses.")
            self.fields["new_group"].help_text = f"{needed} {guide}" if needed else guide
        self._set_querysets(user)
        self.domains: list[LifeDomain] = []
        self.agreements: list[Agreement] = []
        order = list(wanted)
        if kind == ConversationKind.AMBITION:
            # The life domains come first in an ambition conversation.
            order[order.index("location") + 1 : 0] = self._add_score_fields()
        if kind == ConversationKind.PROGRESS:
            order[order.index("legality_checked") + 1 : 0] = self._add_review_fields()
        self.order_fields(order)  # the order of the error summary

    def _set_querysets(self, user: User) -> None:
        choices: dict[str, Any] = {
            "consultant": team_consultants(user),
            "checklist": ScreeningQuestion.objects.filter(is_active=True),
            "referred_to": Partner.objects.filter(is_active=True),
            "preferred_group": selectors.active_client_groups(),
            "advised_group": selectors.active_client_groups(),
            "new_group": selectors.active_client_groups(),
            "kickoff": selectors.upcoming_kickoffs(self.client),
        }
        for name, queryset in choices.items():
            if name in self.fields:
                cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    def _add_score_fields(self) -> list[str]:
        self.domains = list(selectors.active_life_domains())
        existing = (
            {s.domain_id: s for s in self.instance.domain_scores.all()} if self.instance.pk else {}
        )
        for domain in self.domains:
            score = existing.get(domain.pk)
            self.fields[f"score_{domain.pk}"] = forms.TypedChoiceField(
                label=gettext("Score for %(domain)s") % {"domain": domain.name},
                choices=SCALE,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=score.score if score else None,
            )
            self.fields[f"score_note_{domain.pk}"] = forms.CharField(
                label=gettext("Note on %(domain)s") % {"domain": domain.name},
                required=False,
                widget=_textarea(2),
                initial=score.note if score else "",
            )
        return [f"{prefix}_{d.pk}" for d in self.domains for prefix in ("score", "score_note")]

    def _add_review_fields(self) -> list[str]:
        self.agreements = list(selectors.agreements_to_review(self.client, self.instance))
        existing = (
            {r.agreement_id: r for r in self.instance.agreement_reviews.all()}
            if self.instance.pk
            else {}
        )
        for agreement in self.agreements:
            review = existing.get(agreement.pk)
            self.fields[f"review_{agreement.pk}"] = forms.ChoiceField(
                label=gettext("Progress on “%(agreement)s”") % {"agreement": agreement},
                choices=AgreementStatus.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=review.status if review else agreement.status,
            )
            self.fields[f"review_note_{agreement.pk}"] = forms.CharField(
                label=gettext("Note on “%(agreement)s”") % {"agreement": agreement},
                help_text=_("When the agreement was missed: why."),
                required=False,
                widget=_textarea(2),
                initial=review.note if review else "",
            )
        return [f"{prefix}_{a.pk}" for a in self.agreements for prefix in ("review", "review_note")]

    def domain_rows(self) -> list[tuple[LifeDomain, forms.BoundField, forms.BoundField]]:
        return [
            (domain, self[f"score_{domain.pk}"], self[f"score_note_{domain.pk}"])
            for domain in self.domains
        ]

    def review_rows(self) -> list[tuple[Agreement, forms.BoundField, forms.BoundField]]:
        return [
            (agreement, self[f"review_{agreement.pk}"], self[f"review_note_{agreement.pk}"])
            for agreement in self.agreements
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        step, target = cleaned.get("ladder_step"), cleaned.get("ladder_target")
        if step is not None and target is None and "ladder_target" not in self.errors:
            self.add_error("ladder_target", _("Choose the target step as well."))
        if target is not None and step is None and "ladder_step" not in self.errors:
            self.add_error("ladder_step", _("Choose the current step as well."))
        for domain in self.domains:
            if cleaned.get(f"score_note_{domain.pk}", "").strip() and (
                cleaned.get(f"score_{domain.pk}") is None
            ):
                self.add_error(f"score_{domain.pk}", _("Choose a score to go with the note."))
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for create_conversation / update_conversation."""
        data: dict[str, Any] = {
            name: self.cleaned_data[name] for name in KIND_FIELDS[self.kind] if name in self.fields
        }
        for name in ("checklist", "referred_to"):
            if name in data:
                data[name] = list(data[name])
        if self.kind == ConversationKind.AMBITION:
            data["domain_scores"] = [
                ScoreInput(
                    domain=domain,
                    score=self.cleaned_data[f"score_{domain.pk}"],
                    note=self.cleaned_data[f"score_note_{domain.pk}"],
                )
                for domain in self.domains
                if self.cleaned_data[f"score_{domain.pk}"] is not None
            ]
        if self.kind == ConversationKind.PROGRESS:
            data["agreement_reviews"] = [
                ReviewInput(
                    agreement=agreement,
                    status=self.cleaned_data[f"review_{agreement.pk}"],
                    note=self.cleaned_data[f"review_note_{agreement.pk}"],
                )
                for agreement in self.agreements
                if self.cleaned_data[f"review_{agreement.pk}"]
            ]
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors (completion checks) next to the fields they are about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            for item in errors:
                params = item.params or {}
                target: str | None = name if name in self.fields else None
                if name == "domain_scores":
                    target = f"score_{params.get('domain')}"
                elif name == "agreement_reviews":
                    field = "review" if item.code == "review_missing" else "review_note"
                    target = f"{field}_{params.get('agreement')}"
                self.add_error(target if target in self.fields else None, item)


class AddendumForm(forms.ModelForm):
    class Meta:
        model = ConversationAddendum
        fields = ["text"]
        widgets = {"text": _textarea(4)}
