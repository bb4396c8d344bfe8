"""The services behind the case and client pages, called directly."""

import pytest

from appointments.services import NotAllowed, NotFound
from clients import services

from .conftest import NOW


def test_it_sets_zero_as_a_real_override(db, clinician, individual_case):
    case = services.set_allowance_override(
        clinician.user, individual_case.pk, 0, now=NOW
    )

    assert case.allowance_override == 0


def test_it_hides_another_practices_case(db, outsider, individual_case):
    with pytest.raises(NotFound):
        services.set_allowance_override(outsider.user, individual_case.pk, 2, now=NOW)


def test_it_refuses_the_front_desk_an_override(db, front_desk, individual_case):
    with pytest.raises(NotAllowed):
        services.set_allowance_override(front_desk.user, individual_case.pk, 2, now=NOW)


def test_it_refuses_a_biller_contact_edits(db, biller, alice):
    with pytest.raises(NotAllowed):
        services.update_client_details(biller.user, alice.pk, now=NOW, phone="1")


def test_it_refuses_a_duplicate_email_in_the_service(front_desk, alice, couple):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.update_client_details(
            front_desk.user, alice.pk, now=NOW, email=couple[1].email.upper()
        )

    assert refused.value.message_dict == {
        "email": ["Ben Partner already uses this email address."]
    }
