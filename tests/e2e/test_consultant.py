"""A consultant's day, in the browser: find a client, hold the ambitiegesprek (life-domain
scores, the klantgroep chosen with the client, a ladder measurement, an invitation to the
kick-off), start a traject, and see all of it on the dossier and the work queue. Every page
reached is checked for accessibility."""

import datetime

from django.utils import timezone

from clients.models import ClientGroup, ConversationKind, LadderStep, LifeDomain
from instruments.models import Instrument
from tests.clients.factories import BenefitPeriodFactory, ClientFactory
from tests.clients.meeting_factories import MeetingFactory
from tests.e2e.accessibility import assert_accessible


def test_ambition_conversation_kickoff_and_trajectory(
    consultant_page, screenshot, client_a, team_a
):
    page = consultant_page
    today = timezone.localdate()
    # On benefit for two months without an ambitiegesprek: one is due in the work queue.
    BenefitPeriodFactory(client=client_a, start_date=today - datetime.timedelta(days=60))
    other = ClientFactory(team=team_a, first_name="Piet", last_name="Bakker")
    other.consultants.add(*client_a.consultants.all())
    kickoff = MeetingFactory(team=team_a, title="Kick-off Groeien")
    groeien = ClientGroup.objects.get(name="Groeien")
    step_2, step_4 = (LadderStep.objects.get(number=n) for n in (2, 4))
    instrument = Instrument.objects.get(name="Loonwaardemeting")
    domains = list(LifeDomain.objects.filter(is_active=True))
    assert_accessible(page)  # the start page

    page.click("nav a[href='/werkvoorraad/']")
    assert page.locator(f"#queue-items tr[data-kind=ambition][data-client='{client_a.pk}']").count()
    assert_accessible(page)
    screenshot(page, "werkvoorraad")

    # The search: the start of the surname.
    page.click("nav a[href='/clienten/']")
    assert_accessible(page)
    page.fill("form[role=search] input[name=q]", "jans")
    with page.expect_navigation():
        page.press("form[role=search] input[name=q]", "Enter")
    results = page.locator("table.data tbody th a")
    assert results.all_inner_texts() == ["Jansen, Anna"]
    assert_accessible(page)
    screenshot(page, "clienten-zoeken")
    results.first.click()
    page.wait_for_url(f"**/clienten/{client_a.pk}/")
    assert_accessible(page)
    screenshot(page, "dossier")

    page.click("#conversations a[href$='/gesprekken/nieuw/ambitie/']")
    page.wait_for_url("**/gesprekken/nieuw/ambitie/")
    assert_accessible(page)
    for number, domain in enumerate(domains):
        page.check(f"input[name=score_{domain.pk}][value='{number % 5 + 1}']")
    page.fill(f"textarea[name=score_note_{domains[0].pk}]", "Werkt graag met de handen.")
    screenshot(page.locator("main form > fieldset:has(.domain-score)"), "ambitiegesprek-scores")
    page.fill("textarea[name=ambition]", "Binnen een jaar werk in de techniek.")
    for name in ("preferred_group", "advised_group", "new_group"):
        page.select_option(f"select[name={name}]", str(groeien.pk))
    page.select_option("select[name=ladder_step]", str(step_2.pk))
    page.select_option("select[name=ladder_target]", str(step_4.pk))
    screenshot(
        page.locator("main form > fieldset:has(select[name=new_group])"),
        "ambitiegesprek-klantgroep",
    )
    page.check("input[name=rights_and_duties_explained][value=True]")
    page.select_option("select[name=kickoff]", str(kickoff.pk))
    page.fill("textarea[name=notes]", "Afspraken gemaakt over de kick-off.")
    page.click("button[name=action][value=complete]")
    page.wait_for_url("**/clienten/gesprekken/*/")
    assert page.get_attribute("#conversation-status", "data-status") == "completed"
    assert_accessible(page)
    screenshot(page, "gesprek-afgerond")

    page.click("a[href*='/trajecten/nieuw/?gesprek=']")
    page.wait_for_url("**/trajecten/nieuw/*")
    assert_accessible(page)
    page.select_option("select[name=instrument]", str(instrument.pk))
    page.fill("input[name=planned_end_date]", (today + datetime.timedelta(days=30)).isoformat())
    screenshot(page, "traject-starten")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/clienten/gesprekken/*/")
    assert_accessible(page)

    page.click(f"main .actions a[href='/clienten/{client_a.pk}/']")  # back to the dossier
    page.wait_for_url(f"**/clienten/{client_a.pk}/")
    assert_accessible(page)
    assert groeien.name in page.inner_text("section[aria-labelledby=status-heading]")
    assert page.locator("#conversation-list tr[data-status=completed]").count() == 1
    assert page.locator("#domain-scores tbody tr").count() == len(domains)
    assert page.locator("#client-invitations").inner_text().count("Kick-off Groeien") == 1
    assert instrument.name in page.inner_text("#trajectories")
    measurement = client_a.ladder_measurements.get()
    assert (measurement.step, measurement.target_step) == (step_2, step_4)
    assert client_a.group_assignments.get(end_date=None).group == groeien
    assert client_a.invitations.get().meeting == kickoff
    assert client_a.trajectories.get().conversation.kind == ConversationKind.AMBITION

    page.click("nav a[href='/werkvoorraad/']")
    assert not page.locator(
        f"#queue-items tr[data-client='{client_a.pk}'][data-kind=ambition]"
    ).count()
    assert_accessible(page)
