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


def test_it_takes_24_00_as_the_end_of_the_day(signed_in, clinician):
    response = signed_in(clinician).post(
        reverse("staff:hours", args=[clinician.pk]),
        {"starts_4": "18:00", "ends_4": "24:00"},
    )

    assert response.status_code == 302
    block = WorkingHours.objects.get(clinician=clinician)
    assert (block.weekday, block.ends_at) == (4, time(23, 59))


@pytest.mark.parametrize(
    ("posted", "field"),
    [
        ({"starts_1": "9 o'clock", "ends_1": "17:00"}, "starts_1"),
        ({"starts_1": "09:00", "ends_1": "25:00"}, "ends_1"),
    ],
)
def test_it_names_only_the_time_it_could_not_read(signed_in, clinician, posted, field):
    response = signed_in(clinician).post(
        reverse("staff:hours", args=[clinician.pk]), posted
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Enter a time from 00:00 to 23:59, such as 09:00.") == 1
    assert "Give both times, or neither." not in page
    cell = page[page.index(f'for="id_{field}"') :]
    assert cell[: cell.index("</td>")].count("Enter a time from") == 1
    assert not WorkingHours.objects.exists()


def test_it_puts_the_missing_time_message_on_the_empty_field(signed_in, clinician):
    response = signed_in(clinician).post(
        reverse("staff:hours", args=[clinician.pk]), {"ends_2": "17:00"}
    )

    page = response.content.decode()
    cell = page[page.index('for="id_starts_2"') :]
    assert "Give both times, or neither." in cell[: cell.index("</td>")]
