"""The Dutch interface is complete, and the committed .mo files match their .po sources."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def test_every_dutch_message_is_translated():
    catalogue = polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 100


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_compiled_catalogue_is_up_to_date(language, tmp_path):
    source = polib.pofile(str(LOCALE / f"{language}/LC_MESSAGES/django.po"))
    fresh = tmp_path / "django.mo"
    source.save_as_mofile(str(fresh))
    with (
        fresh.open("rb") as expected,
        (LOCALE / f"{language}/LC_MESSAGES/django.mo").open("rb") as committed,
    ):
        assert messages(gettext.GNUTranslations(committed)) == messages(
            gettext.GNUTranslations(expected)
        )


def messages(translations: gettext.GNUTranslations) -> dict:
    """The catalogue without its header (tools write the header differently)."""
    return {key: value for key, value in translations._catalog.items() if key != ""}
