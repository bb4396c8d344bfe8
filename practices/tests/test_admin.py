from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin

from appointments import services
from appointments.models import StatusChange
from practicerunner import testing

PROJECT_APPS = {"practices", "clients", "appointments"}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root@example.test", "root@example.test", testing.PASSWORD
    )


def test_it_registers_every_model():
    models = [
        model
        for config in apps.get_app_configs()
        if config.label in PROJECT_APPS
        for model in config.get_models()
    ]

    assert models
    assert [m.__name__ for m in models if not admin.site.is_registered(m)] == []


def test_it_lists_every_model_for_a_superuser(client, superuser, individual_case):
    client.force_login(superuser)

    for model in admin.site._registry:
        if model._meta.app_label in PROJECT_APPS:
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            assert client.get(url).status_code == 200, url


def test_it_shows_status_changes_read_only(
    client, superuser, individual_case, alice, clinician, now
):
    appointment = testing.build_appointment(
        individual_case, now + timedelta(days=2), clinician=clinician
    )
    services.request_cancellation(alice.portal_user, appointment.pk, now=now)
    change = StatusChange.objects.get()
    client.force_login(superuser)
    url = f"/admin/appointments/statuschange/{change.pk}/change/"

    page = client.get(url)
    posted = client.post(url, {"to_status": "attended"})

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert posted.status_code == 403
    assert StatusChange.objects.get().to_status == "planned_absence"


def test_it_keeps_staff_out_of_the_admin(client, owner):
    client.force_login(owner.user)

    response = client.get("/admin/appointments/appointment/")

    assert response.status_code == 302
