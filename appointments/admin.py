from django.contrib import admin

from .models import Appointment, CancellationRequest, Participant, StatusChange


class ReadOnlyStatusMixin:
    """Statuses change only through the services, never by editing a row."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "status"] if obj is not None else fields


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyStatusMixin, admin.ModelAdmin):
    list_display = ["id", "practice", "case", "start", "status"]
    list_filter = ["practice", "status"]
    date_hierarchy = "start"
    raw_id_fields = ["case", "clinician"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyStatusMixin, admin.ModelAdmin):
    list_display = ["id", "appointment", "client", "status"]
    raw_id_fields = ["appointment", "membership", "client"]


@admin.register(CancellationRequest)
class CancellationRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "appointment", "state", "requested_at"]
    list_filter = ["state"]
    readonly_fields = [
        f.name for f in CancellationRequest._meta.fields if f.name != "message"
    ]

    def has_add_permission(self, request):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["appointment", "changed_at", "channel", "from_status", "to_status"]
    list_filter = ["channel", "to_status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
