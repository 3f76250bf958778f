"""Opinion maps in the Django admin, for instance administrators to look, not to edit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicflow.opinions.models import Analysis, Conversation, Statement


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the services, so that they are checked and recorded."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("question", "challenge", "organisation", "state", "analysed_at")
    list_filter = ("state", "moderation")
    list_select_related = ("challenge", "organisation")


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("text", "conversation", "status", "is_seed", "created_at")
    list_filter = ("status", "is_seed")
    list_select_related = ("conversation",)


@admin.register(Analysis)
class AnalysisAdmin(ReadOnlyAdmin):
    list_display = ("conversation", "computed_at", "ready", "groups", "participants", "votes")
    list_select_related = ("conversation",)
    exclude = ("result",)
