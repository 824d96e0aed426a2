"""The named personas of DOMAIN.md, in the demo consultant's caseload."""

from __future__ import annotations

import dataclasses

from clients.models import AgreementStatus, EducationLevel, Gender, HouseholdType, Responsible
from demo.distributions import FACILITEREN, GROEIEN, MATCHEN, ZORGEN


@dataclasses.dataclass(frozen=True, slots=True)
class StoryAgreement:
    description: str
    responsible: Responsible
    due_in_days: int  # from the reference date; negative is in the past
    status: AgreementStatus = AgreementStatus.OPEN
    missed_reason: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Story:
    """What the consultant's records tell about a persona: the ambition in their own words,
    the current plan and its agreements, and what is waiting in the work queue."""

    ambition: str
    plan_goals: str
    plan_age_days: int  # the current plan was drawn up this many days before the reference date
    agreements: tuple[StoryAgreement, ...]
    progress_overdue: bool = False
    draft: str = ""  # the report of a conversation not yet completed


@dataclasses.dataclass(frozen=True, slots=True)
class Vignette:
    first_name: str
    last_name: str
    gender: Gender
    age_days: int
    household: HouseholdType
    education: EducationLevel
    group: int
    step: int
    target: int
    months_on_benefit: int
    note: str  # on the latest ladder measurement
    story: Story
    surname_prefix: str = ""
    barriers: tuple[str, ...] = ()
    has_basic_qualification: bool = False
    is_status_holder: bool = False


def _age(years: int, days: int = 100) -> int:
    return round(years * 365.25) + days


VIGNETTES = (
    Vignette(
        first_name="Monique",
        last_name="Kamphuis",
        gender=Gender.FEMALE,
        age_days=_age(52),
        household=HouseholdType.SINGLE_PARENT,
        education=EducationLevel.PRE_VOCATIONAL,
        group=GROEIEN,
        step=5,
        target=6,
        months_on_benefit=50,
        barriers=("childcare",),
        note="Alleenstaande moeder van drie kinderen; moet om 14.00 uur thuis zijn. Werkt nu 16 "
        "uur met loonkostensubsidie in de schoonmaak en wil groeien naar hoogstens 28 uur per "
        "week, binnen schooltijden.",
        story=Story(
            ambition="Ik wil meer uren werken, maar om twee uur moet ik thuis zijn voor de "
            "kinderen.",
            plan_goals="Van 16 naar hoogstens 28 uur per week in de schoonmaak, alleen binnen "
            "schooltijden; op termijn zonder loonkostensubsidie.",
            plan_age_days=150,
            agreements=(
                StoryAgreement(
                    "Met de werkgever afspreken dat de werkuren binnen schooltijd vallen "
                    "(uiterlijk 14.00 uur thuis)",
                    Responsible.CLIENT,
                    -100,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Naschoolse opvang voor de jongste bespreken met het wijkteam",
                    Responsible.PARTNER,
                    -20,
                ),
                StoryAgreement("Uren uitbreiden van 16 naar 24 per week", Responsible.CLIENT, 45),
                StoryAgreement(
                    "Loonkostensubsidie aanpassen aan de nieuwe uren", Responsible.CONSULTANT, 60
                ),
            ),
        ),
    ),
    Vignette(
        first_name="Gerrit",
        last_name="Wolterink",
        gender=Gender.MALE,
        age_days=_age(61),
        household=HouseholdType.SINGLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=ZORGEN,
        step=1,
        target=2,
        months_on_benefit=150,
        barriers=("psychological",),
        note="Woont alleen en komt weinig buiten de deur; schizofrenie, in behandeling bij de "
        "GGZ. Doel: één vaste wekelijkse activiteit in de buurt, samen met de "
        "wijkverpleegkundige.",
        story=Story(
            ambition="Rust. En misschien één keer in de week ergens koffie drinken.",
            plan_goals="Eén vaste wekelijkse activiteit buiten de deur; bestaanszekerheid blijft "
            "voorop staan.",
            plan_age_days=300,
            agreements=(
                StoryAgreement(
                    "Samen met de wijkverpleegkundige een inloop in de buurt bezoeken",
                    Responsible.PARTNER,
                    -200,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Elke donderdag naar de koffieochtend in het wijkcentrum",
                    Responsible.CLIENT,
                    -60,
                    AgreementStatus.MISSED,
                    "Kwam de deur niet uit in een slechte periode; de wijkverpleegkundige gaat "
                    "de eerste keren mee.",
                ),
                StoryAgreement(
                    "Huisbezoek inplannen met de GGZ-behandelaar erbij", Responsible.CONSULTANT, 30
                ),
            ),
        ),
    ),
    Vignette(
        first_name="Ria",
        surname_prefix="van",
        last_name="Dijk",
        gender=Gender.FEMALE,
        age_days=_age(60),
        household=HouseholdType.SINGLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=FACILITEREN,
        step=2,
        target=3,
        months_on_benefit=96,
        barriers=("medical",),
        note="Rugklachten: kan niet lang staan, zitten of tillen. Volgende stap is "
        "vrijwilligerswerk; de participatiemakelaar zoekt een plek met afwisselend werk, "
        "bijvoorbeeld in het buurthuis.",
        story=Story(
            ambition="Ik wil weer iets doen, maar niet te lang achter elkaar.",
            plan_goals="Vrijwilligerswerk van twee ochtenden per week met afwisselend werk, "
            "passend bij de rugklachten.",
            plan_age_days=120,
            agreements=(
                StoryAgreement(
                    "Kennismaken bij het buurthuis voor vrijwilligerswerk",
                    Responsible.CLIENT,
                    -90,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Met de fysiotherapeut bespreken welk werk de rug aankan",
                    Responsible.CLIENT,
                    -30,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Proefperiode van vier weken als gastvrouw in het buurthuis",
                    Responsible.PARTNER,
                    30,
                ),
            ),
        ),
    ),
    Vignette(
        first_name="Haider",
        last_name="Al-Jaburi",
        gender=Gender.MALE,
        age_days=_age(48),
        household=HouseholdType.COUPLE_WITH_CHILDREN,
        education=EducationLevel.VOCATIONAL,
        is_status_holder=True,
        group=GROEIEN,
        step=3,
        target=4,
        months_on_benefit=60,
        note="Statushouder uit Irak, twintig jaar ervaring als automonteur. Vrijgesteld van de "
        "taaleis. Volgende stap: een EVC-traject om zijn vakmanschap te laten erkennen, daarna "
        "een werkervaringsplaats bij een garage.",
        story=Story(
            ambition="Ik ben automonteur. Dat wil ik hier ook weer worden.",
            plan_goals="Vakmanschap laten erkennen met een EVC-traject en daarna een "
            "werkervaringsplaats bij een garage.",
            plan_age_days=90,
            agreements=(
                StoryAgreement(
                    "Intake EVC-traject motorvoertuigentechniek",
                    Responsible.PARTNER,
                    -40,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Garages in de regio benaderen voor een werkervaringsplaats",
                    Responsible.CONSULTANT,
                    -5,
                ),
                StoryAgreement(
                    "Portfolio met foto's van eerder werk aanleveren", Responsible.CLIENT, 20
                ),
            ),
        ),
    ),
    Vignette(
        first_name="Dennis",
        last_name="Koster",
        gender=Gender.MALE,
        age_days=_age(39),
        household=HouseholdType.COUPLE,
        education=EducationLevel.VOCATIONAL,
        has_basic_qualification=True,
        group=MATCHEN,
        step=4,
        target=6,
        months_on_benefit=2,
        note="Sinds kort in de bijstand na twee jaar WW. Logistiek medewerker met "
        "heftruckcertificaat, geen belemmeringen; vrijwilliger bij de voetbalclub. De "
        "werkmakelaar zoekt werk in de logistiek.",
        story=Story(
            ambition="Zo snel mogelijk weer aan de slag in een magazijn.",
            plan_goals="Binnen drie maanden aan het werk in de logistiek.",
            plan_age_days=10,
            agreements=(
                StoryAgreement("Inschrijven bij uitzendbureaus in de regio", Responsible.CLIENT, 7),
                StoryAgreement("Heftruckcertificaat laten verlengen", Responsible.CLIENT, 30),
                StoryAgreement(
                    "Vacatures van logistieke werkgevers uit het netwerk voorstellen",
                    Responsible.CONSULTANT,
                    14,
                ),
            ),
        ),
    ),
    Vignette(
        first_name="Jordy",
        last_name="Hulshof",
        gender=Gender.MALE,
        age_days=_age(26),
        household=HouseholdType.SINGLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=GROEIEN,
        step=3,
        target=5,
        months_on_benefit=18,
        note="Veel korte baantjes via uitzendbureaus gehad, maar houdt het niet lang vol; geen "
        "vast dagritme. Start met een werkfit-traject om ritme op te bouwen, daarna een "
        "werkleerroute.",
        story=Story(
            ambition="Gewoon een baan die ik volhoud.",
            plan_goals="Werkritme opbouwen in het werkfit-traject en daarna starten met een "
            "werkleerroute.",
            plan_age_days=220,
            agreements=(
                StoryAgreement(
                    "Starten met het werkfit-traject",
                    Responsible.CLIENT,
                    -190,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Elke werkdag om 9.00 uur aanwezig zijn bij het traject",
                    Responsible.CLIENT,
                    -120,
                    AgreementStatus.MISSED,
                    "Drie keer te laat en twee keer niet gekomen; samen een wekker- en "
                    "belschema afgesproken.",
                ),
                StoryAgreement("Aanmelden voor een werkleerroute", Responsible.CONSULTANT, -30),
            ),
            progress_overdue=True,
            draft="Concept: telefonisch gesproken over het ritme; verslag nog aanvullen na "
            "overleg met het traject.",
        ),
    ),
    Vignette(
        first_name="Henk",
        last_name="Brinkhuis",
        gender=Gender.MALE,
        age_days=_age(64, 300),
        household=HouseholdType.COUPLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=FACILITEREN,
        step=3,
        target=4,
        months_on_benefit=120,
        note="Bijna 65 en actief in de buurt: biljartclub en koffieochtend in het wijkcentrum. "
        "Wil tot zijn AOW als gastheer in het wijkcentrum meedraaien.",
        story=Story(
            ambition="Tot mijn AOW wil ik in het wijkcentrum blijven helpen.",
            plan_goals="Actief blijven als gastheer in het wijkcentrum tot de AOW-leeftijd.",
            plan_age_days=200,
            agreements=(
                StoryAgreement(
                    "Gastheer in het wijkcentrum op dinsdag- en donderdagochtend",
                    Responsible.CLIENT,
                    -150,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "AOW-aanvraag en de overgang van de uitkering voorbereiden",
                    Responsible.CONSULTANT,
                    60,
                ),
            ),
        ),
    ),
    Vignette(
        first_name="Sandra",
        last_name="Hoekstra",
        gender=Gender.FEMALE,
        age_days=_age(47),
        household=HouseholdType.SINGLE,
        education=EducationLevel.NONE,
        group=ZORGEN,
        step=2,
        target=2,
        months_on_benefit=210,
        barriers=("psychological", "problem_debts"),
        note="Complexe psychische klachten (angst en depressie), al ruim zeventien jaar in de "
        "uitkering. Schuldhulpverlening loopt. Bestaanszekerheid en een stabiele woonsituatie "
        "gaan voor; geen perspectief op werk.",
        story=Story(
            ambition="Ik wil geen post meer hoeven te vrezen.",
            plan_goals="Schulden onder controle via schuldhulpverlening en een stabiele "
            "woonsituatie.",
            plan_age_days=60,
            agreements=(
                StoryAgreement(
                    "Aanmelding bij schuldhulpverlening afronden",
                    Responsible.PARTNER,
                    -45,
                    AgreementStatus.DONE,
                ),
                StoryAgreement(
                    "Samen de aanvraag bijzondere bijstand voor de huurachterstand doen",
                    Responsible.CONSULTANT,
                    -10,
                ),
                StoryAgreement(
                    "Post elke week openen, samen met de vrijwilliger van het wijkteam",
                    Responsible.CLIENT,
                    21,
                ),
            ),
            draft="Concept: huisbezoek; nog aanvullen hoe het met de huurachterstand staat.",
        ),
    ),
)
