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


DETAILS = {"name": "Alice Individual", "email": "alice@example.test", "phone": "555"}


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2026-06-04", "The date of birth cannot be in the future."),
        ("1899-12-31", "Enter a date of birth from 1900 on."),
    ],
)
def test_it_refuses_an_impossible_date_of_birth(
    signed_in, front_desk, alice, born, message
):
    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]),
        DETAILS | {"date_of_birth": born},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Client.objects.get(pk=alice.pk).date_of_birth is None


@pytest.mark.parametrize("born", ["2026-06-03", "1900-01-01"])
def test_it_takes_a_date_of_birth_at_the_limits(signed_in, front_desk, alice, born):
    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]),
        DETAILS | {"date_of_birth": born},
    )

    assert response.status_code == 302
    assert str(Client.objects.get(pk=alice.pk).date_of_birth) == born


def test_it_refuses_another_clients_email(signed_in, front_desk, alice, couple):
    taken = couple[0].email.upper()

    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]), DETAILS | {"email": taken}
    )

    assert response.status_code == 200
    assert "Bea Partner already uses this email address." in response.content.decode()
    assert Client.objects.get(pk=alice.pk).email != taken


def test_it_allows_an_email_used_in_another_practice(
    signed_in, front_desk, alice, other_practice
):
    from practicerunner import testing

    elsewhere = testing.build_client(other_practice, "Ella Elsewhere")

    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]),
        DETAILS | {"email": elsewhere.email},
    )

    assert response.status_code == 302
    assert Client.objects.get(pk=alice.pk).email == elsewhere.email


def test_it_accepts_the_clients_own_email_in_capitals(signed_in, front_desk, alice):
    response = signed_in(front_desk).post(
        reverse("staff:client_edit", args=[alice.pk]),
        DETAILS | {"email": alice.email.upper()},
    )

    assert response.status_code == 302
