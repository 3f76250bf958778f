from django.contrib import admin

from civicflow.initiatives.models import GateDecision, Initiative


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "stage", "status", "public", "business_owner"]
    list_filter = ["stage", "status", "public", "source_kind"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "idea", "business_owner", "delivery_lead", "created_by"]


@admin.register(GateDecision)
class GateDecisionAdmin(admin.ModelAdmin):
    """Gate decisions are read here, never changed: a correction is a new decision."""

    list_display = ["initiative", "decision", "decided_by", "decided_at", "from_stage", "to_stage"]
    list_filter = ["decision"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
