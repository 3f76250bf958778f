"""Challenges in the Django admin: for instance administrators to look, not to change.

Challenges are created, changed and moved through their lifecycle on their pages or through
the API, where the rules and the audit log apply; here they can only be read.
"""

from django.contrib import admin
from django.http import HttpRequest

from civicflow.challenges.models import Challenge, Follow, Phase


class PhaseInline(admin.TabularInline[Phase, Challenge]):
    model = Phase
    extra = 0
    can_delete = False
    readonly_fields = ["key", "starts_at", "ends_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin[Challenge]):
    list_display = ["title", "organisation", "kind", "audience", "status", "published_at"]
    list_filter = ["kind", "status", "audience", "organisation"]
    search_fields = ["title", "summary"]
    list_select_related = ["organisation"]
    inlines = [PhaseInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin[Follow]):
    list_display = ["challenge", "user", "created_at"]
    list_select_related = ["challenge", "user"]
    raw_id_fields = ["challenge", "user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
