"""Settings of the test suite (pyproject.toml's DJANGO_SETTINGS_MODULE): the development settings,
with two-factor authentication not required, as most tests log their users in with force_login.
The tests of two-factor authentication switch it on with pytest-django's `settings` fixture
(tests/casework/test_two_factor.py)."""

from casework.settings import *  # noqa: F403

TWO_FACTOR_REQUIRED = False
