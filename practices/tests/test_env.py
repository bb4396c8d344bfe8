import pytest
from django.core.exceptions import ImproperlyConfigured

from practicerunner.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False)])
def test_it_reads_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)

    assert env_bool("FLAG") is expected


def test_it_fails_loudly_on_a_bad_boolean(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG")


def test_it_fails_loudly_on_a_bad_number(monkeypatch):
    monkeypatch.setenv("PORT", "twenty")

    with pytest.raises(ImproperlyConfigured, match="PORT must be a whole number"):
        env_int("PORT", 25)


def test_it_requires_what_is_required(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", required=True)


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")

    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]
