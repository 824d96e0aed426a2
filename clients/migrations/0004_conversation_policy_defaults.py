"""Policy defaults for conversations: the life domains (DOMAIN.md), the screening checklist,
referral partners, and which klantgroepen need a plan (Matchen and Groeien)."""

from django.db import migrations

LIFE_DOMAINS = [
    ("work", "Werk"),
    ("income", "Inkomen"),
    ("debts", "Schulden en financiën"),
    ("housing", "Huisvesting"),
    ("physical_health", "Lichamelijke gezondheid"),
    ("mental_health", "Psychische gezondheid"),
    ("social_network", "Sociaal netwerk"),
    ("language", "Taal"),
    ("daytime_activity", "Dagbesteding"),
    ("family_care", "Gezin en zorgtaken"),
    ("justice", "Justitie"),
]

SCREENING_QUESTIONS = [
    ("identity", "Identiteit vastgesteld met een geldig identiteitsbewijs"),
    ("address", "Woonadres klopt met de BRP"),
    ("income", "Inkomsten van de afgelopen maanden besproken"),
    ("assets", "Vermogen en bezittingen besproken"),
    ("household", "Samenstelling van het huishouden besproken"),
    ("housing_costs", "Woonlasten en betalingsachterstanden besproken"),
    ("health", "Gezondheid en belemmeringen besproken"),
]

PARTNERS = [
    "Schuldhulpverlening",
    "Wijkteam",
    "Voedselbank",
    "Wmo-loket",
    "UWV",
    "Woningcorporatie",
    "Maatschappelijk werk",
]


def load(apps, schema_editor):
    LifeDomain = apps.get_model("clients", "LifeDomain")
    ScreeningQuestion = apps.get_model("clients", "ScreeningQuestion")
    Partner = apps.get_model("clients", "Partner")
    ClientGroup = apps.get_model("clients", "ClientGroup")
    LifeDomain.objects.bulk_create(
        LifeDomain(code=code, name=name, position=i)
        for i, (code, name) in enumerate(LIFE_DOMAINS, 1)
    )
    ScreeningQuestion.objects.bulk_create(
        ScreeningQuestion(code=code, text=text, position=i)
        for i, (code, text) in enumerate(SCREENING_QUESTIONS, 1)
    )
    Partner.objects.bulk_create(Partner(name=name) for name in PARTNERS)
    ClientGroup.objects.filter(code__in=["matchen", "groeien"]).update(requires_plan=True)


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_conversations_plans_meetings")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
