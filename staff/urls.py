from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "staff"

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("staff:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", views.home, name="home"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/status/", views.bulk_status, name="bulk_status"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path(
        "appointments/<int:pk>/status/",
        views.appointment_status,
        name="appointment_status",
    ),
    path(
        "appointments/<int:pk>/participants/<int:participant_id>/status/",
        views.participant_status,
        name="participant_status",
    ),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/allowance/", views.case_allowance, name="case_allowance"),
    path("clients/", views.client_list, name="clients"),
    path("clients/<int:pk>/", views.client_detail, name="client"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:pk>/policy/", views.client_policy, name="client_policy"),
    path("settings/portal/", views.portal_settings, name="portal_settings"),
    path("settings/billing/", views.billing_settings, name="billing_settings"),
    path("hours/", views.hours_list, name="hours_list"),
    path("hours/<int:pk>/", views.hours_edit, name="hours"),
    path("requests/", views.request_queue, name="requests"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
]
