import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from clients.bsn import (
    WEIGHTS,
    check_digit,
    clean_bsn,
    normalise_bsn,
    passes_elfproef,
    validate_bsn,
)

eight_digits = st.lists(st.integers(0, 9), min_size=8, max_size=8)


def complete(digits: list[int]) -> str | None:
    """The ninth digit that makes the weighted sum divisible by 11, if one exists."""
    partial = sum(w * d for w, d in zip(WEIGHTS, digits, strict=False))
    for last in range(10):
        total = partial - last
        if total % 11 == 0 and total != 0:
            return "".join(map(str, digits)) + str(last)
    return None


@given(eight_digits)
def test_a_completed_number_passes(digits):
    bsn = complete(digits)
    assume(bsn is not None)
    assert passes_elfproef(bsn)


@given(eight_digits, st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_error_is_caught(digits, position, delta):
    bsn = complete(digits)
    assume(bsn is not None)
    wrong = list(bsn)
    wrong[position] = str((int(wrong[position]) + delta) % 10)
    assert not passes_elfproef("".join(wrong))


@given(eight_digits, st.integers(0, 7))
def test_swapping_adjacent_different_digits_is_caught(digits, position):
    bsn = complete(digits)
    assume(bsn is not None and bsn[position] != bsn[position + 1])
    swapped = list(bsn)
    swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
    assert not passes_elfproef("".join(swapped))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345678",
        "1234567890",
        "12345678a",
        "\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13",
    ],
)
def test_anything_but_nine_ascii_digits_fails(value):
    assert not passes_elfproef(value)


def test_all_zeros_fails_although_its_sum_is_divisible():
    assert not passes_elfproef("000000000")


def test_known_valid_number():
    assert passes_elfproef("111222333")


@given(eight_digits)
def test_the_check_digit_completes_exactly_the_valid_numbers(digits):
    completed = complete(digits)
    expected = None if completed is None else int(completed[-1])
    assert check_digit("".join(map(str, digits))) == expected


def test_normalise_strips_separators_and_restores_a_dropped_leading_zero():
    assert normalise_bsn("1112.22.333") == "111222333"
    assert normalise_bsn(" 11 122 2333 ") == "111222333"
    assert normalise_bsn("12345672") == "012345672"


def test_errors_are_in_dutch():
    with translation.override("nl"):
        with pytest.raises(ValidationError) as length:
            validate_bsn("1234")
        with pytest.raises(ValidationError) as elfproef:
            validate_bsn("111222334")
    assert "9 cijfers" in length.value.messages[0]
    assert "elfproef" in elfproef.value.messages[0]


def test_clean_bsn_normalises_then_validates():
    assert clean_bsn(" 1112.22-333 ") == "111222333"
    assert clean_bsn("12345672") == "012345672"
    for typed, code in (
        ("1234", "bsn_length"),
        ("111 222 334", "bsn_elfproef"),
        (".-", "bsn_length"),
    ):
        with pytest.raises(ValidationError) as error:
            clean_bsn(typed)
        assert error.value.code == code
