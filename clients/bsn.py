"""The burgerservicenummer (BSN): its elfproef (eleven test), its keyed look-up hash and the
encrypted field that stores it."""

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_elfproef(bsn: str) -> bool:
    """True for nine digits whose weighted sum (9..2, -1) is divisible by 11 and not zero."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, bsn, strict=True))
    return total != 0 and total % 11 == 0


def check_digit(first_eight: str) -> int | None:
    """The ninth digit that completes a BSN, or None when no digit passes the elfproef."""
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_eight, strict=False))
    check = total % 11  # the last weight is -1: total - check must be a non-zero multiple of 11
    return None if check == 10 or total == check else check


def normalise_bsn(value: str) -> str:
    """Strip spaces, dots and dashes; pad an eight-digit BSN (a leading zero dropped) to nine."""
    digits = "".join(ch for ch in value if ch not in " .-")
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits
    return digits


def validate_bsn(value: str) -> None:
    if not (value.isascii() and value.isdigit()) or len(value) != 9:
        raise ValidationError(_("A BSN consists of 9 digits."), code="bsn_length")
    if not passes_elfproef(value):
        raise ValidationError(
            _("This is not a valid BSN: it does not pass the eleven test (elfproef)."),
            code="bsn_elfproef",
        )


def clean_bsn(value: str) -> str:
    """A BSN as typed (spaces, dots and dashes allowed) as nine digits that pass the elfproef;
    ValidationError (codes bsn_length, bsn_elfproef) otherwise. Every form, serializer and import
    that takes a BSN cleans it here."""
    bsn = normalise_bsn(value)
    validate_bsn(bsn)
    return bsn


def mask_bsn(bsn: str) -> str:
    """A BSN as shown everywhere but on its own page: all but the last four digits hidden
    (*****1234); empty for an anonymised client (no BSN)."""
    return "*****" + bsn[-4:] if bsn else ""


def bsn_digest(bsn: str) -> str:
    """The keyed hash (HMAC-SHA256 with settings.BSN_HASH_KEY, hex) of a normalised BSN.

    The BSN itself is stored encrypted with a fresh IV each time, so equal BSNs never give equal
    ciphertexts: every look-up by BSN compares this digest (Client.bsn_hash) instead. Without the
    key, the digests of the few hundred million possible BSNs cannot be precomputed.
    """
    key = settings.BSN_HASH_KEY.encode()
    return hmac.new(key, normalise_bsn(bsn).encode(), hashlib.sha256).hexdigest()


class EncryptedBsnField(EncryptedCharField):
    """django-fernet-encrypted-fields' encrypted text, read strictly: a stored value that no
    configured key decrypts raises cryptography's InvalidToken. The library would hand the
    ciphertext on as if it were the BSN, so a wrong SECRET_KEY or SALT_KEY showed garbage
    instead of failing."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return self.f.decrypt(value.encode()).decode()
