"""Policy defaults: the national participatieladder, Deventer's klantgroepen ("Inzet op maat"
2020) and the barrier categories of Hof van Twente's client analysis. Rows the application
manager edits afterwards."""

from django.db import migrations

LADDER = [
    (1, "Geïsoleerd", "Alleen functionele contacten buiten het huishouden."),
    (
        2,
        "Sociale contacten buiten de deur",
        "Minstens wekelijks niet-georganiseerd sociaal contact.",
    ),
    (
        3,
        "Deelname georganiseerde activiteiten",
        "Minstens wekelijks een georganiseerde activiteit, zonder verantwoordelijkheid naar anderen.",
    ),
    (
        4,
        "Onbetaald werk",
        "Onbetaald werk met verantwoordelijkheid naar anderen, of werk tegen vergoeding.",
    ),
    (
        5,
        "Betaald werk met ondersteuning",
        "Betaald werk met een instrument, aanvullende uitkering, loonkostensubsidie, jobcoach of Wsw.",
    ),
    (6, "Betaald werk", "Betaald werk zonder ondersteuning."),
]

GROUPS = [
    dict(
        code="matchen",
        name="Matchen",
        position=1,
        description="Kan direct aan het werk.",
        criteria="Korter dan 6 maanden in de uitkering en direct bemiddelbaar.",
        service="Werkmakelaar, matching, stages, work fast, sectorbijeenkomsten.",
        progress_conversations_per_year=0,
        legal_review_interval_months=None,
        directing_organisation="Deventer Werktalent",
    ),
    dict(
        code="groeien",
        name="Groeien",
        position=2,
        description="Kan aan het werk na ondersteuning.",
        criteria="Maximaal 3 jaar in de uitkering, belemmeringen, binnen ongeveer 3 jaar naar werk (eventueel met loonkostensubsidie); jongeren in het doelgroepregister.",
        service="Werkcoach, plan van aanpak, coaching, werkfit, (snuffel)stages, werkleerroutes, loonkostensubsidie en nazorg.",
        progress_conversations_per_year=1,
        legal_review_interval_months=None,
        directing_organisation="Deventer Werktalent",
    ),
    dict(
        code="faciliteren",
        name="Faciliteren",
        position=3,
        description="Binnen 3 jaar van waarde voor de samenleving, niet voor de arbeidsmarkt.",
        criteria="",
        service="Participatiemakelaar, vrijwilligerswerk, additionele arbeid, wijkbijeenkomsten, deels Wmo.",
        progress_conversations_per_year=2,
        legal_review_interval_months=24,
        directing_organisation="Inkomensondersteuning",
    ),
    dict(
        code="zorgen",
        name="Zorgen",
        position=4,
        description="Bestaanszekerheid staat voorop.",
        criteria="Grote belemmeringen, geen arbeidsmarktperspectief.",
        service="Inkomenszekerheid, armoede- en schuldpreventie, wijkbijeenkomsten.",
        progress_conversations_per_year=2,
        legal_review_interval_months=None,
        directing_organisation="Inkomensondersteuning",
    ),
]

BARRIERS = [
    ("medical", "Medisch"),
    ("civic_integration", "Inburgering en taal"),
    ("childcare", "Kinderopvang"),
    ("psychological", "Psychisch"),
    ("informal_care", "Mantelzorg"),
    ("problem_debts", "Problematische schulden"),
]


def load(apps, schema_editor):
    LadderStep = apps.get_model("clients", "LadderStep")
    ClientGroup = apps.get_model("clients", "ClientGroup")
    BarrierType = apps.get_model("clients", "BarrierType")
    LadderStep.objects.bulk_create(
        LadderStep(number=n, name=name, description=description) for n, name, description in LADDER
    )
    ClientGroup.objects.bulk_create(ClientGroup(**group) for group in GROUPS)
    BarrierType.objects.bulk_create(
        BarrierType(code=code, name=name, position=i) for i, (code, name) in enumerate(BARRIERS, 1)
    )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
