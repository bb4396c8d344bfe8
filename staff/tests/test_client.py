import pytest
from django.urls import reverse

from clients.models import Case, Client

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def alice_in_couple(practice, alice, individual_case, clinician):
    from clients.models import CaseKind
    from practicerunner import testing

    partner = testing.build_client(practice, "Abe Partner")
    return testing.build_case(
        practice, CaseKind.TWO_PERSON, [alice, partner], title="Alice and Abe"
    )


def test_it_shows_contact_details_and_cases(
    signed_in, front_desk, alice, alice_in_couple
):
    response = signed_in(front_desk).get(reverse("staff:client", args=[alice.pk]))

    page = response.content.decode()
    assert alice.email in page
    assert "Alice and Abe" in page
    assert "Individual sessions: planned absence policy" in page
    assert "does not apply to two-person, family, group or other cases" in page


def test_it_edits_the_individual_policy_only(
    signed_in, clinician, alice, individual_case, alice_in_couple
):
    response = signed_in(clinician).post(
        reverse("staff:client_policy", args=[alice.pk]), {"allowance": "2"}, follow=True
    )

    assert Case.objects.get(pk=individual_case.pk).allowance_override == 2
    assert Case.objects.get(pk=alice_in_couple.pk).allowance_override is None
    assert (
        "Individual sessions: Alice Individual now allows 2"
        in response.content.decode()
    )


def test_it_refuses_a_biller_the_policy(signed_in, biller, alice, individual_case):
    response = signed_in(biller).post(
        reverse("staff:client_policy", args=[alice.pk]), {"allowance": "2"}
    )

    assert response.status_code == 403


def test_it_answers_404_for_a_policy_without_individual_case(signed_in, owner, couple):
    response = signed_in(owner).post(
        reverse("staff:client_policy", args=[couple[0].pk]), {"allowance": "2"}
    )

    assert response.status_code == 404


def test_it_edits_contact_details(signed_in, front_desk, alice):
    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]),
        {"name": "Alice Individual", "email": "alice@example.test", "phone": "555"},
        follow=True,
    )

    assert Client.objects.get(pk=alice.pk).email == "alice@example.test"
    assert "Saved Alice Individual&#x27;s details." in response.content.decode()


def test_it_shows_errors_next_to_contact_fields(signed_in, front_desk, alice):
    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]),
        {"name": "", "email": "not an email"},
    )

    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter a valid email address." in page


def test_it_refuses_contact_edits_to_a_biller(signed_in, biller, alice):
    response = signed_in(biller).get(reverse("staff:client_edit", args=[alice.pk]))

    assert response.status_code == 403


def test_it_finds_clients_by_name(signed_in, biller, alice, couple):
    response = signed_in(biller).get(reverse("staff:clients") + "?q=bea")

    page = response.content.decode()
    assert "Bea Partner" in page and "Alice Individual" not in page


def test_it_offers_the_portal_invitation_only_when_the_portal_has_it(
    signed_in, front_desk, alice, monkeypatch
):
    from django.urls import NoReverseMatch

    from staff import views

    def missing(name, *args, **kwargs):
        if name == "portal:invite":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr(views, "reverse", missing)

    response = signed_in(front_desk).get(reverse("staff:client", args=[alice.pk]))

    assert "Invite to portal" not in response.content.decode()
