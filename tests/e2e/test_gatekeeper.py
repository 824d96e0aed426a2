"""A poortwachter registers a new client, in the browser: a wrong BSN is refused with the Dutch
message next to the field, and correcting it loses nothing of what was typed."""

import re

from django.utils import translation
from django.utils.translation import gettext

from clients.models import BarrierType, Client, EducationLevel, Gender, HouseholdType
from tests.clients.factories import valid_bsns
from tests.e2e.accessibility import assert_accessible

NOT_ELFPROEF = "This is not a valid BSN: it does not pass the eleven test (elfproef)."
TYPED = {
    "first_name": "Fatima",
    "surname_prefix": "el",
    "last_name": "Amrani",
    "date_of_birth": "1984-03-17",
    "street": "Brink",
    "house_number": "12a",
    "postcode": "7411 BR",
    "city": "Deventer",
    "phone": "0570 123 456",
    "email": "f.amrani@example.org",
}
CHOSEN = {
    "gender": Gender.FEMALE,
    "household_type": HouseholdType.SINGLE_PARENT,
    "education_level": EducationLevel.SECONDARY,
}


def test_wrong_bsn_is_explained_next_to_the_field_and_nothing_is_lost(
    gatekeeper_page, screenshot, gatekeeper_a
):
    page = gatekeeper_page
    barrier = BarrierType.objects.order_by("position").first()
    with translation.override("nl"):
        dutch_error = gettext(NOT_ELFPROEF)
    assert dutch_error != NOT_ELFPROEF, "the Dutch translations are not compiled"

    page.click("nav a[href='/clienten/nieuw/']")
    page.wait_for_url("**/clienten/nieuw/")
    assert_accessible(page)
    page.fill("input[name=bsn]", "123456789")  # fails the elfproef
    for name, value in TYPED.items():
        page.fill(f"[name={name}]", value)
    for name, value in CHOSEN.items():
        page.select_option(f"select[name={name}]", value)
    page.check("input[name=is_status_holder]")
    page.check(f"input[name=barriers][value='{barrier.pk}']")
    page.check(f"input[name=consultants][value='{gatekeeper_a.pk}']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert not Client.objects.exists()
    # The message is in Dutch, in the BSN's own field, and the field points to it.
    field = page.locator(".field", has=page.locator("input[name=bsn]"))
    assert field.locator(".errors").inner_text().strip() == dutch_error
    bsn = page.locator("input[name=bsn]")
    assert bsn.get_attribute("aria-invalid") == "true"
    assert "id_bsn-errors" in (bsn.get_attribute("aria-describedby") or "").split()
    assert dutch_error in page.inner_text("#error-summary[role=alert]")
    assert_accessible(page)
    screenshot(page, "nieuwe-client-bsn-fout")
    # Nothing typed was lost.
    assert bsn.input_value() == "123456789"
    for name, value in TYPED.items():
        assert page.input_value(f"[name={name}]") == value, name
    for name, value in CHOSEN.items():
        assert page.input_value(f"select[name={name}]") == value, name
    assert page.is_checked("input[name=is_status_holder]")
    assert page.is_checked(f"input[name=barriers][value='{barrier.pk}']")
    assert page.is_checked(f"input[name=consultants][value='{gatekeeper_a.pk}']")

    # The error summary's link takes the keyboard to the field.
    page.click("#error-summary a[href='#id_bsn']")
    assert page.evaluate("() => document.activeElement.name") == "bsn"
    correct = next(valid_bsns())
    page.fill("input[name=bsn]", correct)
    page.click("main form button[type=submit]")
    # The dossier of the new client (the link's #id_bsn stays on the URL, as browsers do).
    page.wait_for_url(re.compile(r"/clienten/\d+/"))
    assert_accessible(page)

    client = Client.objects.get()
    assert client.bsn == correct
    assert {name: str(getattr(client, name)) for name in TYPED} == TYPED
    assert {name: getattr(client, name) for name in CHOSEN} == CHOSEN
    assert client.is_status_holder
    assert list(client.barriers.all()) == [barrier]
    assert list(client.consultants.all()) == [gatekeeper_a]
    assert page.inner_text("h1") == client.full_name
