from datetime import time

import pytest
from django.urls import reverse

from practices.models import WorkingHours

pytestmark = pytest.mark.usefixtures("frozen")

WEEK = {"starts_0": "09:00", "ends_0": "17:00", "starts_3": "12:00", "ends_3": "20:00"}


def test_it_lets_a_clinician_set_their_own_hours(signed_in, clinician):
    response = signed_in(clinician).post(
        reverse("staff:hours", args=[clinician.pk]), WEEK, follow=True
    )

    hours = list(
        WorkingHours.objects.filter(clinician=clinician).values_list(
            "weekday", "starts_at", "ends_at"
        )
    )
    assert hours == [(0, time(9), time(17)), (3, time(12), time(20))]
    assert "Working hours of Carl Clinician saved." in response.content.decode()


def test_it_lets_the_owner_set_a_clinicians_hours(signed_in, owner, clinician):
    response = signed_in(owner).post(reverse("staff:hours", args=[clinician.pk]), WEEK)

    assert response.status_code == 302
    assert WorkingHours.objects.filter(clinician=clinician).count() == 2


def test_it_shows_an_error_next_to_a_half_filled_day(signed_in, clinician):
    response = signed_in(clinician).post(
        reverse("staff:hours", args=[clinician.pk]), {"starts_1": "09:00"}
    )

    assert "Give both times, or neither." in response.content.decode()
    assert not WorkingHours.objects.exists()


def test_it_keeps_a_colleagues_hours_read_only(signed_in, front_desk, clinician):
    browser = signed_in(front_desk)

    page = browser.get(reverse("staff:hours", args=[clinician.pk]))
    post = browser.post(reverse("staff:hours", args=[clinician.pk]), WEEK)

    assert "Save hours" not in page.content.decode()
    assert post.status_code == 403


def test_it_lists_every_clinicians_week(signed_in, biller, clinician, owner):
    signed_in(owner).post(reverse("staff:hours", args=[clinician.pk]), WEEK)

    response = signed_in(biller).get(reverse("staff:hours_list"))

    assert "Mon 09:00–17:00 · Thu 12:00–20:00" in response.content.decode()
