"""Dutch texts for the consultant's records: short, plain and varied, drawn from small phrase
lists. They describe situations, never people: no names, addresses or other personal data."""

from __future__ import annotations

import random
from collections.abc import Sequence

from clients.models import Responsible
from demo.distributions import FACILITEREN, GROEIEN, MATCHEN, ZORGEN


def pick(rng: random.Random, *parts: Sequence[str]) -> str:
    """One phrase from each list, joined into a short text."""
    return " ".join(rng.choice(part) for part in parts)


# --- Screening (poortwachter) --------------------------------------------------------------

SCREENING_OPENINGS = (
    "Melding via de website; eerste gesprek aan de balie.",
    "Melding telefonisch gedaan; gesprek op het Werkplein.",
    "Kwam zelf langs na ontslag.",
    "Aangemeld na afloop van de WW-uitkering.",
    "Doorverwezen door het wijkteam.",
    "Melding na scheiding; woont sinds kort zelfstandig.",
)
SCREENING_FINDINGS = (
    "Inkomsten en vermogen doorgenomen; geen bijzonderheden.",
    "Bankafschriften van drie maanden meegebracht.",
    "Huishouden en woonsituatie besproken; gegevens kloppen.",
    "Nog een paar stukken nodig voor de aanvraag; cliënt levert die na.",
    "Heeft een auto; waarde wordt nog vastgesteld.",
    "Spaargeld ruim onder de vermogensgrens.",
)
URGENT_ACTIONS = {
    "no_food_money": (
        "Voedselpakket geregeld en een voorschot op de uitkering aangevraagd.",
        "Direct een voorschot verstrekt; verwezen naar de voedselbank.",
    ),
    "eviction": (
        "Contact gehad met de verhuurder; ontruiming uitgesteld, betalingsregeling besproken.",
        "Woningcorporatie gebeld; huurachterstand wordt via een regeling afgelost.",
    ),
    "other": (
        "Energieleverancier gebeld; afsluiting voorkomen.",
        "Noodopvang voor de kinderen geregeld via het wijkteam.",
    ),
}
# Which partner an urgent need or a barrier leads to, when the partner list has it.
URGENT_PARTNERS = {
    "no_food_money": "Voedselbank",
    "eviction": "Woningcorporatie",
    "other": "Wijkteam",
}
BARRIER_PARTNERS = {
    "problem_debts": "Schuldhulpverlening",
    "psychological": "Maatschappelijk werk",
    "informal_care": "Wmo-loket",
    "medical": "Wijkteam",
}

# --- Ambitiegesprek --------------------------------------------------------------------------

AMBITIONS = {
    MATCHEN: (
        "Ik wil zo snel mogelijk weer aan het werk.",
        "Het liefst werk ik weer in de logistiek, daar heb ik ervaring.",
        "Ik zoek een vaste baan, fulltime als het kan.",
        "Ik wil niet lang in de bijstand blijven; elke baan is een begin.",
        "Ik wil weer in de bouw aan de slag.",
        "Ik wil graag in de zorg werken, ik heb mijn diploma al.",
    ),
    GROEIEN: (
        "Ik wil werken, maar eerst wil ik een vak leren.",
        "Ik wil een diploma halen zodat ik meer kansen heb.",
        "Ik wil parttime werken naast de zorg voor mijn kinderen.",
        "Ik wil ritme opbouwen en dan aan het werk.",
        "Ik wil beter Nederlands leren en dan werken in mijn oude vak.",
        "Ik wil laten zien wat ik kan, misschien eerst met een stage.",
    ),
    FACILITEREN: (
        "Ik wil iets nuttigs doen in de buurt.",
        "Ik wil graag vrijwilligerswerk doen, een paar ochtenden per week.",
        "Ik wil meer onder de mensen komen.",
        "Werken lukt niet meer, maar ik wil wel actief blijven.",
        "Ik wil helpen in het buurthuis.",
    ),
    ZORGEN: (
        "Eerst rust en een stabiel inkomen.",
        "Ik wil van mijn schulden af.",
        "Ik wil dat het thuis weer goed gaat.",
        "Ik wil hulp bij mijn administratie.",
        "Ik wil me beter voelen; aan werk denk ik nu niet.",
    ),
}
AMBITION_NOTES = (
    "Alle leefgebieden doorgelopen met de zelfredzaamheidsmatrix.",
    "Leefgebieden besproken; cliënt was open over de situatie thuis.",
    "Gesprek samen met de partner gevoerd.",
    "Rechten en plichten uitgelegd en de folder meegegeven.",
)
INTERPRETER_NOTE = "Tolk aanwezig bij het gesprek."
# How the klantgroep was chosen: agreed, the client's choice against the advice, or the advice.
AMBITION_AGREED = (
    "Klantgroep samen gekozen; cliënt herkent zich erin.",
    "Klantgroep in overleg vastgesteld.",
)
AMBITION_AGAINST_ADVICE = "Cliënt koos zelf voor deze klantgroep, ondanks een ander advies."
AMBITION_ADVICE_TAKEN = "Cliënt had een voorkeur voor een andere klantgroep; advies gevolgd."

# --- Voortgangsgesprek ------------------------------------------------------------------------

WELLBEING = (
    "Gaat redelijk; slaapt beter dan een tijd geleden.",
    "Ervaart veel stress door geldzorgen.",
    "Voelt zich fitter sinds de start van het traject.",
    "Wisselend; goede en slechte weken.",
    "Stabiel; weinig spanning op dit moment.",
    "Somber door de lange periode zonder werk.",
    "Rustiger nu de administratie op orde is.",
)
LIVING = (
    "Woont zelfstandig; huur wordt op tijd betaald.",
    "Woonsituatie ongewijzigd; geen achterstanden.",
    "Kleine huurachterstand; regeling loopt.",
    "Woont met de kinderen in een huurwoning; rondkomen lukt net.",
    "Inkomsten van bijbaan worden maandelijks doorgegeven.",
    "Toeslagen zijn aangevraagd en lopen.",
)
PROGRESS_NOTES = {
    MATCHEN: (
        "Solliciteert actief; twee gesprekken gehad.",
        "Ingeschreven bij drie uitzendbureaus.",
        "Cv aangepast op vacatures in de logistiek.",
    ),
    GROEIEN: (
        "Werkfit-traject loopt goed; komt op tijd.",
        "Stage bevalt; de werkgever denkt aan een contract.",
        "Taalles gaat vooruit; volgende stap is een werkervaringsplaats.",
        "Afspraken uit het plan grotendeels nagekomen.",
        "Sollicitatietraining afgerond.",
    ),
    FACILITEREN: (
        "Doet twee ochtenden per week vrijwilligerswerk.",
        "Actief bij de koffieochtend in het wijkcentrum.",
        "Zoekt nog een passende vrijwilligersplek.",
        "Huisbezoek; cliënt is tevreden over de ondersteuning.",
    ),
    ZORGEN: (
        "Huisbezoek; situatie stabiel.",
        "Schuldhulpverlening loopt; afspraken worden nagekomen.",
        "Contact met het wijkteam over de zorg thuis.",
        "Bewindvoering gestart; dat geeft rust.",
        "Geen grote veranderingen sinds het vorige gesprek.",
    ),
}
GROUP_STILL_RIGHT = (
    "Klantgroep past nog.",
    "Klantgroep besproken; blijft zo.",
    "Geen reden voor een andere klantgroep.",
)

# --- Other contacts ---------------------------------------------------------------------------

LEGALITY_NOTES = (
    "Rechtmatigheidsonderzoek aan huis; woonsituatie klopt met de gegevens.",
    "Bankafschriften en inkomsten gecontroleerd; geen bijzonderheden.",
    "Huisbezoek afgelegd; samenstelling huishouden ongewijzigd.",
    "Vragen over een storting op de rekening; uitleg volgt.",
)
COACHING_NOTES = {
    MATCHEN: (
        "Vacature besproken bij een transportbedrijf; cliënt solliciteert.",
        "Voorbereid op een sollicitatiegesprek.",
        "Terugkoppeling van de werkgever besproken.",
        "Nieuwe vacatures doorgenomen.",
    ),
    GROEIEN: (
        "Werkcoach op bezoek bij de stageplek.",
        "Voortgang in het traject besproken.",
        "Samen een sollicitatiebrief geschreven.",
        "Telefonisch contact over het rooster.",
    ),
    FACILITEREN: (
        "Telefonisch contact; vrijwilligerswerk gaat goed.",
        "Kennismaking met een nieuwe vrijwilligersorganisatie besproken.",
    ),
    ZORGEN: (
        "Telefonisch contact over een vraag over de uitkering.",
        "Kort contact; brief van de belastingdienst samen doorgenomen.",
        "Gebeld om te horen hoe het gaat.",
    ),
}
AFTERCARE_NOTES = (
    "Nazorg: werk bevalt, contract verlengd.",
    "Nazorg: eerste maanden goed doorgekomen.",
    "Nazorg: vragen over de laatste uitkeringsbetaling beantwoord.",
    "Nazorg: jobcoach nog twee maanden betrokken.",
)
DRAFT_NOTES = (
    "Concept: verslag nog aanvullen na overleg met de werkgever.",
    "Concept: ladderstap nog bespreken met de teamleider.",
    "Concept: afspraken uit het plan nog doorlopen.",
)

# --- Life domains -----------------------------------------------------------------------------

LOW_SCORE_NOTES = {
    "work": ("Al lang geen werkervaring.", "Weinig werkritme."),
    "income": ("Inkomen nog niet op orde.", "Moeite met rondkomen."),
    "debts": ("Problematische schulden.", "Betalingsachterstanden bij meerdere schuldeisers."),
    "housing": ("Dreigende huurachterstand.", "Woont tijdelijk bij familie."),
    "physical_health": ("Lichamelijke klachten beperken het dagelijks leven.",),
    "mental_health": ("Psychische klachten; in behandeling.", "Veel spanning en somberheid."),
    "social_network": ("Klein netwerk.", "Weinig contact buiten de deur."),
    "language": ("Spreekt nog weinig Nederlands.", "Taalles nodig."),
    "daytime_activity": ("Geen vaste dagbesteding.",),
    "family_care": ("Zware zorgtaken thuis.", "Opvang voor de kinderen ontbreekt."),
    "justice": ("Loopt een strafzaak.",),
}

# --- Plan van aanpak ----------------------------------------------------------------------

PLAN_GOALS = {
    MATCHEN: (
        "Binnen drie maanden aan het werk, bij voorkeur in de eigen sector.",
        "Zo snel mogelijk duurzaam werk vinden.",
        "Uitstromen naar een baan van minstens 24 uur per week.",
    ),
    GROEIEN: (
        "Werkritme opbouwen en binnen een jaar starten met een stage of werkleerroute.",
        "Een startkwalificatie halen en daarna aan het werk.",
        "Stap voor stap naar betaald werk, eventueel met loonkostensubsidie.",
        "Taalvaardigheid verbeteren en werkervaring opdoen in het eigen vak.",
    ),
    FACILITEREN: (
        "Actief blijven in de buurt met vrijwilligerswerk.",
        "Meer sociale contacten en een vaste dagbesteding.",
    ),
    ZORGEN: (
        "Stabiel inkomen en grip op de financiën.",
        "Schulden onder controle en een veilige woonsituatie.",
    ),
}

# Agreements by klantgroep: (what, who).
AGREEMENTS = {
    MATCHEN: (
        ("Inschrijven bij uitzendbureaus in de regio", Responsible.CLIENT),
        ("Elke week op minstens drie vacatures reageren", Responsible.CLIENT),
        ("Cv bijwerken en naar de werkmakelaar sturen", Responsible.CLIENT),
        ("Vacatures uit het werkgeversnetwerk voorstellen", Responsible.CONSULTANT),
        ("Sollicitatiegesprek voorbereiden met de werkmakelaar", Responsible.CONSULTANT),
        ("Heftruckcertificaat laten verlengen", Responsible.CLIENT),
    ),
    GROEIEN: (
        ("Starten met het werkfit-traject", Responsible.CLIENT),
        ("Elke werkdag om 9.00 uur aanwezig zijn bij het traject", Responsible.CLIENT),
        ("Snuffelstage zoeken bij een werkgever in de zorg", Responsible.CONSULTANT),
        ("Aanmelden voor een werkleerroute", Responsible.CONSULTANT),
        ("Loonwaardemeting aanvragen", Responsible.CONSULTANT),
        ("Taalles volgen, twee dagdelen per week", Responsible.CLIENT),
        ("Sollicitatietraining volgen", Responsible.CLIENT),
        ("Intake bij het re-integratiebedrijf", Responsible.PARTNER),
    ),
    FACILITEREN: (
        ("Kennismaken bij het buurthuis voor vrijwilligerswerk", Responsible.CLIENT),
        ("Vrijwilligersvacatures in de wijk opzoeken", Responsible.CONSULTANT),
        ("Meedoen aan de koffieochtend in het wijkcentrum", Responsible.CLIENT),
        ("Aanmelden bij de vrijwilligerscentrale", Responsible.PARTNER),
    ),
    ZORGEN: (
        ("Aanvraag bijzondere bijstand indienen", Responsible.CONSULTANT),
        ("Post elke week openen en bewaren in de map", Responsible.CLIENT),
        ("Huisbezoek door het wijkteam plannen", Responsible.PARTNER),
        ("Kwijtschelding gemeentelijke belastingen aanvragen", Responsible.CONSULTANT),
    ),
}
BARRIER_AGREEMENTS = {
    "problem_debts": ("Gesprek met schuldhulpverlening plannen", Responsible.PARTNER),
    "childcare": ("Kinderopvang regelen voor de werkdagen", Responsible.CLIENT),
    "civic_integration": (
        "Inburgeringsexamen onderdeel lezen en schrijven halen",
        Responsible.CLIENT,
    ),
    "medical": ("Afspraak bij de bedrijfsarts over belastbaarheid", Responsible.PARTNER),
    "psychological": ("Contact houden met de behandelaar en dat terugkoppelen", Responsible.CLIENT),
    "informal_care": ("Respijtzorg bespreken met het Wmo-loket", Responsible.PARTNER),
}
MISSED_REASONS = (
    "Niet op de afspraak verschenen zonder bericht.",
    "Ziek geweest; afspraak opnieuw gepland.",
    "Vergeten; herinnering per sms afgesproken.",
    "Wachtlijst bij de organisatie; nieuwe datum volgt.",
    "Zorg voor de kinderen ging voor.",
    "Ritme lukt nog niet; aanpak bijgesteld.",
)
REVIEW_NOTES = {
    "done": ("Afgerond.", "Gedaan, goed gegaan.", "Nagekomen."),
    "missed": ("Niet gelukt; besproken.", "Niet nagekomen."),
    "cancelled": ("Vervallen; past niet meer bij de situatie.", "Geschrapt in overleg."),
}

# --- Bijeenkomsten --------------------------------------------------------------------------

SECTORS = (
    "de logistiek",
    "de zorg",
    "de techniek",
    "de schoonmaak",
    "de horeca",
    "de detailhandel",
)
NEIGHBOURHOOD_THEMES = (
    "Buurtkamer {place}: vrijwilligerswerk in de wijk",
    "Rondkomen in {place}: regelingen en ondersteuning",
    "Samen actief in {place}",
)
