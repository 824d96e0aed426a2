"""The municipality's map: the area teams, their neighbourhoods and invented streets."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence

from faker import Faker

from demo.distributions import shares
from demo.names import dutch_surname


@dataclasses.dataclass(frozen=True, slots=True)
class Place:
    neighbourhood: str
    city: str
    postcode_area: str  # approximate
    weight: float  # relative number of people on bijstand


# Teams by area of the municipality of Deventer, the demo consultant's team first.
TEAM_AREAS: tuple[tuple[str, tuple[Place, ...]], ...] = (
    (
        "Team Centrum en Zandweerd",
        (
            Place("Binnenstad", "Deventer", "7411", 6),
            Place("Knutteldorp", "Deventer", "7412", 4),
            Place("Zandweerd", "Deventer", "7413", 10),
            Place("Hoornwerk", "Deventer", "7413", 3),
        ),
    ),
    (
        "Team Keizerslanden en Borgele",
        (
            Place("Keizerslanden", "Deventer", "7414", 14),
            Place("Borgele", "Deventer", "7416", 8),
            Place("Platvoet", "Deventer", "7418", 6),
        ),
    ),
    (
        "Team Rivierenwijk en Voorstad",
        (
            Place("Rivierenwijk", "Deventer", "7417", 14),
            Place("Voorstad", "Deventer", "7415", 12),
            Place("De Hoven", "Deventer", "7412", 4),
        ),
    ),
    (
        "Team Colmschate en dorpen",
        (
            Place("Colmschate", "Deventer", "7423", 7),
            Place("Vijfhoek", "Deventer", "7425", 3),
            Place("Schalkhaar", "Schalkhaar", "7433", 1.5),
            Place("Diepenveen", "Diepenveen", "7431", 1.5),
            Place("Bathmen", "Bathmen", "7437", 1.5),
        ),
    ),
)
STREETS_PER_PLACE = 12
STREET_SUFFIXES = ("straat", "straat", "straat", "weg", "laan", "laan", "hof", "plein", "singel")
# Postcode letters: SA, SD and SS are not issued.
POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
UNUSED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})


def team_shares() -> list[float]:
    return shares([sum(place.weight for place in places) for _name, places in TEAM_AREAS])


@dataclasses.dataclass(frozen=True, slots=True)
class Street:
    name: str
    postcode: str
    place: Place


def draw_streets(rng: random.Random, fake: Faker, places: Sequence[Place]) -> list[Street]:
    """Invented streets, STREETS_PER_PLACE per neighbourhood in order, each with its postcode."""
    streets = []
    for place in places:
        for _ in range(STREETS_PER_PLACE):
            name = ""
            while not name.isalpha():
                _prefix, name = dutch_surname(fake)
            letters = postcode_letters(rng)
            streets.append(
                Street(
                    f"{name}{rng.choice(STREET_SUFFIXES)}",
                    f"{place.postcode_area} {letters}",
                    place,
                )
            )
    return streets


def postcode_letters(rng: random.Random) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in UNUSED_POSTCODE_LETTERS:
            return letters
