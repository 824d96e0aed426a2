"""The burgerservicenummer (BSN) and its elfproef (eleven test)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
