"""Pages of the plan van aanpak. Every view reaches the client through
clients.selectors.get_client_for_user and the plan and its agreements through that client, so
anything outside the user's team is a 404; writes go through clients.plans.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.models import Client, Plan
from clients.plans import pdf, selectors, services
from clients.plans.forms import (
    AgreementFormSet,
    AgreementStatusForm,
    NewAgreementFormSet,
    PlanForm,
    PlanGoalsForm,
    SignatureForm,
)
from clients.selectors import get_client_for_user

FORMSET_PREFIX = "agreements"
# The submit button that saves and returns to the form with new empty rows.
CONTINUE = "continue"


def _after_save(request: AuthenticatedHttpRequest, client: Client) -> HttpResponse:
    if CONTINUE in request.POST:
        return redirect("plans:update", client_pk=client.pk)
    return redirect("plans:detail", client_pk=client.pk)


def _render_plan(
    request: AuthenticatedHttpRequest,
    client: Client,
    *,
    plan_pk: int | None = None,
    signature_form: SignatureForm | None = None,
    status_form: AgreementStatusForm | None = None,
) -> HttpResponse:
    """The plan page: the current plan (or an earlier one, read-only) and the list of plans."""
    today = timezone.localdate()
    plans = list(selectors.plans_for_client(client))
    current = plans[0] if plans else None
    if plan_pk is None:
        shown = current
    else:
        shown = next((plan for plan in plans if plan.pk == plan_pk), None)
        if shown is None:
            raise Http404
    is_current = shown is not None and shown == current
    editable = is_current and request.user.has_perm("clients.change_client", client)
    agreements = []
    if shown is not None:
        prefetch_related_objects([shown], selectors.agreements_prefetch())
        for agreement in shown.agreements.all():
            form = None
            if editable:
                if status_form is not None and status_form.agreement.pk == agreement.pk:
                    form = status_form
                else:
                    form = AgreementStatusForm(agreement=agreement)
            agreements.append((agreement, form))
        if editable and signature_form is None:
            signature_form = SignatureForm(instance=shown)
    record_access(request=request, client_ids=[client.pk], view="plans:detail")
    return render(
        request,
        "clients/plans/plan_detail.html",
        {
            "client": client,
            "plan": shown,
            "is_current": is_current,
            "editable": editable,
            "agreements": agreements,
            "plans": plans,
            "status": selectors.plan_status(client, on=today),
            "signature_form": signature_form if editable else None,
            # The forms whose errors the page's error summary lists.
            "failed_forms": [
                f for f in (signature_form, status_form) if f is not None and f.errors
            ],
            "today": today,
        },
    )


@permission_required("clients.view_client", raise_exception=True)
@require_safe
def plan_detail(
    request: AuthenticatedHttpRequest, client_pk: int, pk: int | None = None
) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk)
    return _render_plan(request, client, plan_pk=pk)


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    previous = selectors.plans_for_client(client).first()
    plan = Plan(client=client, drawn_up_by=request.user)
    form = PlanForm(
        request.POST or None,
        instance=plan,
        # The goals usually carry on from the previous plan; the consultant adjusts them.
        initial={"drawn_up_on": timezone.localdate(), "goals": previous.goals if previous else ""},
    )
    formset = NewAgreementFormSet(request.POST or None, instance=plan, prefix=FORMSET_PREFIX)
    # Validate both, so every error shows at once.
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            services.draw_up_plan(
                client=client,
                drawn_up_by=request.user,
                drawn_up_on=form.cleaned_data["drawn_up_on"],
                goals=form.cleaned_data["goals"],
                agreements=formset.save(commit=False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new plan has been saved. It is now the current plan."))
            return _after_save(request, client)
    record_access(request=request, client_ids=[client.pk], view="plans:create")
    return render(
        request,
        "clients/plans/plan_form.html",
        {"client": client, "form": form, "formset": formset, "plan": None, "previous": previous},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_update(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    plan = selectors.plans_for_client(client).first()
    if plan is None:
        return redirect("plans:create", client_pk=client.pk)
    form = PlanGoalsForm(request.POST or None, instance=plan)
    formset = AgreementFormSet(
        request.POST or None,
        instance=plan,
        queryset=selectors.open_agreements(plan),
        prefix=FORMSET_PREFIX,
    )
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            services.update_plan(
                plan=plan,
                goals=form.cleaned_data["goals"],
                save=formset.save(commit=False),
                remove=formset.deleted_objects,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return _after_save(request, client)
    record_access(request=request, client_ids=[client.pk], view="plans:update")
    return render(
        request,
        "clients/plans/plan_form.html",
        {"client": client, "form": form, "formset": formset, "plan": plan},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_POST
def plan_signatures(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    plan = selectors.plans_for_client(client).first()
    if plan is None:
        raise Http404
    form = SignatureForm(request.POST, instance=plan)
    if form.is_valid():
        services.record_signatures(
            plan=plan,
            client_signed_on=form.cleaned_data["client_signed_on"],
            municipality_signed_on=form.cleaned_data["municipality_signed_on"],
        )
        messages.success(request, _("The signatures have been saved."))
        return redirect(reverse("plans:detail", args=[client.pk]) + "#signatures-heading")
    return _render_plan(request, client, signature_form=form)


@permission_required("clients.change_client", raise_exception=True)
@require_POST
def agreement_status(request: AuthenticatedHttpRequest, client_pk: int, pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    agreement = selectors.get_agreement_for_client(client, pk)
    current = selectors.plans_for_client(client).first()
    if current is None or agreement.plan_id != current.pk:
        # An earlier plan is history; its agreements are not changed any more.
        raise Http404
    form = AgreementStatusForm(request.POST, agreement=agreement)
    back = redirect(reverse("plans:detail", args=[client.pk]) + f"#agreement-{pk}")
    if form.is_valid():
        if not form.has_changed():
            return back  # keeps the date of the last real change
        try:
            services.set_agreement_status(
                agreement=agreement,
                status=form.cleaned_data["status"],
                on=timezone.localdate(),
                missed_reason=form.cleaned_data["missed_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(agreement)s” is now: %(status)s.")
                % {"agreement": agreement.description, "status": agreement.get_status_display()},
            )
            return back
    return _render_plan(request, client, status_form=form)


@permission_required("clients.view_client", raise_exception=True)
@require_safe
@never_cache
def plan_pdf(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    """The current plan as a PDF for the client. The file name holds no name or BSN."""
    client = get_client_for_user(request.user, client_pk)
    plan = selectors.current_plan(client)
    if plan is None:
        raise Http404
    document = pdf.render_plan_pdf(
        client=client, plan=plan, contact=selectors.contact_person(client, plan)
    )
    record_access(request=request, client_ids=[client.pk], view="plans:pdf")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.FILENAME}"'
    return response
