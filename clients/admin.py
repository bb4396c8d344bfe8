from django.contrib import admin

from .models import Case, Client, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["id", "practice", "external_id"]
    list_filter = ["practice"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "practice", "kind", "allowance_override"]
    list_filter = ["practice", "kind"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["id", "case", "client", "joined_on", "left_on"]
    raw_id_fields = ["case", "client"]
