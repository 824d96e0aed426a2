"""Defaults from DOMAIN.md: providers, the instrument catalogue with its two named eligibility
rules, Deventer's budget lines for 2020-2023 (copied to the previous and the current year so a
fresh installation has a current budget) and Deventer's allocation per klantgroep.

Unit costs are only those the seeds give; the others are 0 and the consultant enters the cost.
Deventer's allocation table (7,090,000 in all) is attached to the Participatie line although it
exceeds it: the seed mixes execution costs from other lines into it. Rows the application manager
edits afterwards."""

import datetime
from decimal import Decimal

from django.db import migrations

PROVIDERS = [
    "Deventer Werktalent (DWT)",
    "SW-bedrijf",
    "Cambio",
    "KonnecteD",
    "UWV",
    "Gemeente (Inkomensondersteuning)",
]

# code, name, {year: amount}
DEVENTER_LINES = [
    ("participatie", "Participatiebudget", [6_026_000, 6_073_000, 6_236_000, 6_393_000]),
    ("wsw", "WSW", [15_810_000, 15_300_000, 14_810_000, 14_260_000]),
    ("buig", "Uitkeringen (BUIG)", [38_800_000] * 4),
    ("inkomensondersteuning", "Inkomensondersteuning", [2_600_000] * 4),
    # Municipal lines, at Hof van Twente's 2018 amounts.
    ("uitstroompremies", "Uitstroompremies (gemeentelijk)", [30_000] * 4),
    ("plaatsingssubsidie", "Plaatsingssubsidie (gemeentelijk)", [15_000] * 4),
]
FIRST_YEAR = 2020

# klantgroep code (None: intake and granting the benefit), organisation, amount
ALLOCATIONS = [
    (None, "DWT", 350_000),
    (None, "IO", 350_000),
    ("matchen", "DWT", 550_000),
    ("matchen", "IO", 20_000),
    ("groeien", "DWT", 4_600_000),
    ("groeien", "IO", 350_000),
    ("faciliteren", "IO", 450_000),
    ("zorgen", "IO", 420_000),
]

M, G, F, Z = "matchen", "groeien", "faciliteren", "zorgen"
DWT, SW, CAMBIO, KONNECTED, UWV, IO = PROVIDERS

# name, category, line code, unit cost, unit, months, groups, providers, description
CATALOGUE = [
    (
        "Loonwaardemeting",
        "diagnosis",
        "participatie",
        0,
        "trajectory",
        1,
        [G],
        [DWT, SW],
        "Meting van de loonwaarde op de werkplek.",
    ),
    (
        "Loonkostensubsidie",
        "supported_work",
        "buig",
        0,
        "month",
        12,
        [G],
        [IO],
        "Compenseert de verminderde loonwaarde; inclusief een vaste werkgeverskostenvergoeding van 23,5%. Vereist een loonwaardemeting.",
    ),
    (
        "Jobcoaching",
        "supported_work",
        "participatie",
        0,
        "hour",
        12,
        [M, G],
        [DWT, SW],
        "Begeleiding op de werkplek.",
    ),
    (
        "No-riskpolis",
        "employer",
        None,
        0,
        "trajectory",
        60,
        [G],
        [UWV],
        "Dekt loon bij ziekte; via UWV.",
    ),
    (
        "Premiekorting",
        "employer",
        None,
        0,
        "trajectory",
        12,
        [M, G],
        [UWV],
        "Voor werkgevers die 56-plussers, jongeren of mensen uit het doelgroepregister aannemen: € 2.000 tot 7.000 per jaar, 1 of 3 jaar, via de loonheffing.",
    ),
    (
        "Proefplaatsing",
        "employer",
        "participatie",
        0,
        "trajectory",
        2,
        [M, G],
        [DWT],
        "Behoud van uitkering enkele maanden; de werkgever zegt een contract van minstens 6 maanden toe.",
    ),
    ("Werkplekaanpassing", "employer", "participatie", 0, "trajectory", 1, [G], [DWT], ""),
    (
        "Beschut werk",
        "supported_work",
        "wsw",
        0,
        "month",
        12,
        [G],
        [SW],
        "Wettelijke taakstelling per jaar.",
    ),
    (
        "Detachering via SW-bedrijf",
        "supported_work",
        "participatie",
        250,
        "month",
        12,
        [G],
        [SW],
        "De werkgever betaalt het WML-loon plus € 250 per maand.",
    ),
    (
        "Plaatsingssubsidie",
        "employer",
        "plaatsingssubsidie",
        0,
        "trajectory",
        6,
        [M, G],
        [DWT],
        "Voor statushouders of mensen zonder startkwalificatie; niet samen met loonkostensubsidie.",
    ),
    (
        "SKILLS-training",
        "training",
        "participatie",
        0,
        "trajectory",
        2,
        [M, G],
        [DWT],
        "Vijf dagdelen, twee trainers; treden 4 tot 6.",
    ),
    (
        "Re-integratietraject",
        "activation",
        "participatie",
        0,
        "trajectory",
        6,
        [G],
        [SW, CAMBIO],
        "Het SW-bedrijf is voorkeursleverancier.",
    ),
    ("Werkervaringsplaats", "activation", "participatie", 0, "trajectory", 6, [G], [DWT, SW], ""),
    (
        "Begeleide vrijwilligersplaats",
        "activation",
        "participatie",
        0,
        "trajectory",
        6,
        [F],
        [KONNECTED],
        "",
    ),
    (
        "Vrijwilligerswerk / sociale activering / tegenprestatie",
        "activation",
        "participatie",
        0,
        "trajectory",
        6,
        [F, Z],
        [KONNECTED],
        "",
    ),
    ("Scholingsfonds", "training", "participatie", 0, "trajectory", 6, [M, G], [DWT], ""),
    ("Re-integratie-PGB", "activation", "participatie", 0, "trajectory", 6, [G], [], ""),
    (
        "EVC",
        "training",
        "participatie",
        0,
        "trajectory",
        3,
        [M, G],
        [DWT],
        "Erkenning van verworven competenties.",
    ),
    ("Taal / inburgering", "training", "participatie", 0, "trajectory", 12, [G, F], [], ""),
    ("Werkpremie", "premium", "participatie", 0, "trajectory", 12, [G, F], [IO], ""),
    (
        "Uitstroompremie",
        "premium",
        "uitstroompremies",
        750,
        "trajectory",
        6,
        [M, G],
        [IO],
        "€ 750 na meer dan een jaar uitkering en meer dan 6 maanden uit de uitkering, in twee delen op +3 en +6 maanden.",
    ),
    ("Stage / snuffelstage", "activation", "participatie", 0, "trajectory", 3, [M, G], [DWT], ""),
    ("Work fast", "activation", "participatie", 0, "trajectory", 3, [M], [DWT], ""),
    ("Werkleerroute", "training", "participatie", 0, "trajectory", 12, [G], [DWT, SW], ""),
    (
        "Diagnose en werkfit",
        "diagnosis",
        "participatie",
        0,
        "trajectory",
        3,
        [G],
        [DWT, CAMBIO],
        "",
    ),
    ("Praktijkdiagnose", "diagnosis", "participatie", 0, "trajectory", 2, [G], [SW], ""),
    ("Mobility mentoring", "activation", "participatie", 0, "trajectory", 12, [G, F], [IO], ""),
    ("Doen-beurs", "training", "participatie", 0, "trajectory", 12, [G, F], [], ""),
    ("Dagbesteding", "care", None, 0, "month", 12, [Z], [], "Wmo, niet Participatiewet."),
    ("Participatiebaan", "supported_work", "participatie", 0, "month", 12, [G, F], [SW], ""),
]


def load(apps, schema_editor):
    Provider = apps.get_model("instruments", "Provider")
    BudgetLine = apps.get_model("instruments", "BudgetLine")
    Budget = apps.get_model("instruments", "Budget")
    Allocation = apps.get_model("instruments", "Allocation")
    Instrument = apps.get_model("instruments", "Instrument")
    EligibilityRule = apps.get_model("instruments", "EligibilityRule")
    ClientGroup = apps.get_model("clients", "ClientGroup")

    providers = {name: Provider.objects.create(name=name) for name in PROVIDERS}
    groups = {g.code: g for g in ClientGroup.objects.all()}

    this_year = datetime.date.today().year
    lines = {}
    for position, (code, name, amounts) in enumerate(DEVENTER_LINES, 1):
        line = lines[code] = BudgetLine.objects.create(code=code, name=name, position=position)
        by_year = {FIRST_YEAR + i: amount for i, amount in enumerate(amounts)}
        for year in (this_year - 1, this_year):
            by_year.setdefault(year, amounts[-1])
        for year, amount in by_year.items():
            budget = Budget.objects.create(line=line, year=year, amount=Decimal(amount))
            if code == "participatie":
                for group_code, organisation, allocated in ALLOCATIONS:
                    group = groups.get(group_code) if group_code else None
                    if group_code and group is None:
                        continue
                    Allocation.objects.create(
                        budget=budget,
                        client_group=group,
                        organisation=organisation,
                        amount=Decimal(allocated),
                    )

    instruments = {}
    for name, category, line, cost, unit, months, group_codes, provider_names, text in CATALOGUE:
        instrument = instruments[name] = Instrument.objects.create(
            name=name,
            description=text,
            category=category,
            budget_line=lines[line] if line else None,
            unit_cost=Decimal(cost),
            cost_unit=unit,
            typical_duration_months=months,
        )
        instrument.client_groups.set([groups[c] for c in group_codes if c in groups])
        instrument.providers.set([providers[p] for p in provider_names])

    # Paid in two parts at +3 and +6 months after the outflow (the traject's start).
    Instrument.objects.filter(name="Uitstroompremie").update(instalment_months=[3, 6])

    EligibilityRule.objects.create(
        instrument=instruments["Loonkostensubsidie"],
        kind="requires_instrument",
        required_instrument=instruments["Loonwaardemeting"],
    )
    EligibilityRule.objects.create(
        instrument=instruments["Uitstroompremie"], kind="min_months_on_benefit", number=12
    )
    EligibilityRule.objects.create(
        instrument=instruments["SKILLS-training"], kind="min_ladder_step", number=4
    )


def unload(apps, schema_editor):
    for model in (
        "EligibilityRule",
        "Instrument",
        "Allocation",
        "Budget",
        "BudgetLine",
        "Provider",
    ):
        apps.get_model("instruments", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0001_schema"),
        ("clients", "0002_policy_defaults"),
    ]

    operations = [migrations.RunPython(load, unload)]
