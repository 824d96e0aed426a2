import datetime

import factory
from django.utils import timezone

from clients.models import Invitation, Meeting, MeetingKind
from tests.casework.factories import TeamFactory, UserFactory
from tests.clients.factories import ClientFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.KICKOFF
    title = factory.Sequence(lambda n: f"Kick-off {n}")
    team = factory.SubFactory(TeamFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    start_time = datetime.time(9, 30)
    place = "Stadhuis, zaal 2"
    trainer = "Petra de Boer"
    is_mandatory = True


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    client = factory.SubFactory(ClientFactory, team=factory.SelfAttribute("..meeting.team"))
    invited_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..meeting.team"))
    invited_on = factory.LazyFunction(timezone.localdate)
