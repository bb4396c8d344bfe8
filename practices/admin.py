from django.contrib import admin

from .models import BillingSettings, PortalSettings, Practice, StaffMember, WorkingHours


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "currency"]
    search_fields = ["name", "slug"]


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "practice",
        "use_allowance",
        "default_allowance",
        "accept_automatically",
    ]


@admin.register(BillingSettings)
class BillingSettingsAdmin(admin.ModelAdmin):
    list_display = ["practice", "canceled_by_client_keeps_fee", "no_show_keeps_fee"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "practice", "role"]
    list_filter = ["practice", "role"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["clinician", "weekday", "starts_at", "ends_at"]
