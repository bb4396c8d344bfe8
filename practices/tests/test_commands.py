import pytest
from django.core.management import CommandError, call_command

from practices.models import Practice, StaffMember


def test_it_creates_a_practice_with_its_owner(db):
    call_command(
        "create_practice",
        "Harbour Therapy",
        slug="harbour",
        time_zone="America/New_York",
        owner_email="Owner@Example.test",
        owner_password="a-long-password",
    )

    owner = StaffMember.objects.get()
    assert owner.practice.portal_settings.default_allowance == 6
    assert (owner.role, owner.user.username) == ("owner", "owner@example.test")


def test_it_refuses_a_bad_time_zone_and_writes_nothing(db):
    with pytest.raises(CommandError, match="time_zone"):
        call_command(
            "create_practice",
            "Nowhere",
            slug="nowhere",
            time_zone="Mars/Base",
            owner_email="o@example.test",
            owner_password="a-long-password",
        )

    assert not Practice.objects.exists()


def test_it_adds_a_biller(practice):
    call_command(
        "add_staff",
        practice=practice.slug,
        email="bill@example.test",
        name="Bill Biller",
        role="biller",
        password="a-long-password",
    )

    assert StaffMember.objects.get(user__username="bill@example.test").role == "biller"


def test_it_refuses_a_second_sign_in_with_one_email(practice, owner):
    with pytest.raises(CommandError, match="already signs in"):
        call_command(
            "add_staff",
            practice=practice.slug,
            email=owner.user.email,
            name="Twin",
            role="clinician",
            password="a-long-password",
        )


def test_it_refuses_an_unknown_practice(db):
    with pytest.raises(CommandError, match="No practice with the slug"):
        call_command(
            "add_staff",
            practice="nope",
            email="x@example.test",
            name="X",
            role="clinician",
            password="a-long-password",
        )
