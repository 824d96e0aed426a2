"""Keyboard only: the ambitiegesprek is completed without a mouse (Tab, Space, the arrow keys,
typing and Enter), and every element the keyboard reaches shows where the focus is."""

import datetime

from django.utils import timezone

from clients.models import ClientGroup, Conversation, ConversationKind, LifeDomain
from tests.clients.factories import BenefitPeriodFactory
from tests.clients.meeting_factories import MeetingFactory
from tests.e2e.accessibility import assert_accessible

# What the focused element is, and whether its focus can be seen: an outline or a box shadow.
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    name: element.name || "",
    value: element.value || "",
    html: element.outerHTML.slice(0, 120),
    visible: outline || style.boxShadow !== "none",
  };
}"""
MAX_TAB_STOPS = 200


def test_ambition_conversation_by_keyboard_with_visible_focus(consultant_page, client_a, team_a):
    page = consultant_page
    BenefitPeriodFactory(
        client=client_a, start_date=timezone.localdate() - datetime.timedelta(days=10)
    )
    MeetingFactory(team=team_a, title="Kick-off Groeien")
    groeien = ClientGroup.objects.get(name="Groeien")
    domains = list(LifeDomain.objects.filter(is_active=True))
    # What to do on each field the keyboard reaches; the fields not named keep their defaults
    # (today, this consultant, at the office, chosen together with the client).
    scores = {f"score_{domain.pk}": number % 5 + 1 for number, domain in enumerate(domains)}
    texts = {"ambition": "Werken als monteur.", "notes": "Alles besproken."}
    typed_choices = {
        # A closed <select> takes the first letters of an option (type-ahead).
        "preferred_group": groeien.name,
        "advised_group": groeien.name,
        "new_group": groeien.name,
        "ladder_step": "3",
        "ladder_target": "4",
        "kickoff": "Kick-off",
    }
    page.goto(f"/clienten/{client_a.pk}/gesprekken/nieuw/ambitie/")
    assert_accessible(page)

    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")  # a group of radio buttons is one stop
        focused = page.evaluate(FOCUSED)
        assert focused["visible"], f"no visible focus on {focused['html']}"
        name = focused["name"]
        if name in scores:
            page.keyboard.press("Space")  # checks the first score, 1
            for _ in range(scores[name] - 1):
                page.keyboard.press("ArrowRight")
        elif name == "rights_and_duties_explained":
            page.keyboard.press("Space")  # "yes", the first choice
        elif name in texts:
            page.keyboard.type(texts[name])
        elif name in typed_choices:
            page.keyboard.type(typed_choices[name])
        elif name == "action" and focused["value"] == "complete":
            page.keyboard.press("Enter")
            break
    else:
        raise AssertionError(f"the complete button is not reached in {MAX_TAB_STOPS} tab stops")
    page.wait_for_url("**/clienten/gesprekken/*/")
    assert page.get_attribute("#conversation-status", "data-status") == "completed"
    assert_accessible(page)

    conversation = Conversation.objects.get(client=client_a, kind=ConversationKind.AMBITION)
    assert {f"score_{s.domain_id}": s.score for s in conversation.domain_scores.all()} == scores
    assert conversation.new_group == groeien
    assert (conversation.ladder_step.number, conversation.ladder_target.number) == (3, 4)
    assert conversation.rights_and_duties_explained is True
    assert conversation.kickoff is not None
    assert (conversation.ambition, conversation.notes) == (texts["ambition"], texts["notes"])
