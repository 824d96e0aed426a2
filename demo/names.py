"""Names for invented people and streets: Faker's Dutch surnames split into prefix and name,
and name lists for origins Faker has no Latin-script locale for."""

from __future__ import annotations

import unicodedata

from faker import Faker

EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


SURNAME_PREFIXES = frozenset(
    _names("van, de, der, den, ter, ten, te, het, 't, 's, op, in, uit, la, le")
)
# Names for origins Faker has no Latin-script locale for: (male, female, surnames).
MOROCCAN_NAMES = (
    _names("Mohamed, Youssef, Said, Mustapha, Abdelkader, Hamid, Karim, Rachid, Nordin"),
    _names("Fatima, Khadija, Naima, Malika, Samira, Latifa, Souad, Nadia, Hanan"),
    _names("El Amrani, Bouzid, Benali, El Idrissi, Aarab, Boukhari, Azzouzi, Ouali, Belhaj"),
)
REFUGEE_NAMES = (
    _names(
        "Ahmad, Mohammed, Omar, Khaled, Yousef, Hassan, Mustafa, Samir, Tariq, Yonas, Tesfay, "
        "Dawit, Filmon, Mehari, Farid, Jawad, Reza"
    ),
    _names(
        "Fatima, Amina, Rania, Noor, Huda, Layla, Zainab, Mariam, Rasha, Selam, Senait, Saba, "
        "Luwam, Mebrat, Shirin, Parwana, Zahra"
    ),
    _names(
        "Al-Hassan, Haddad, Khalil, Al-Ali, Hamdan, Ibrahim, Mansour, Saleh, Darwish, Nasser, "
        "Tesfamariam, Ghebremedhin, Haile, Kidane, Tekle, Berhe, Ahmadi, Hosseini, Rahimi, Sultani"
    ),
)

# Demo BSNs start with 99 (the national test persons use 999...), which keeps them apart from


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def dutch_surname(fake: Faker) -> tuple[str, str]:
    """A Faker nl_NL surname split into prefix and name ("van der", "Berg")."""
    while True:
        words = fake.last_name().split()
        cut = 0
        while cut < len(words) - 1 and words[cut].lower() in SURNAME_PREFIXES:
            cut += 1
        rest = words[cut:]
        if len(rest) == 1 and rest[0][:1].isupper():
            return " ".join(words[:cut]).lower(), rest[0]
