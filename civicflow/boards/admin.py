"""Improvement boards in the Django admin, for instance administrators to look, not to edit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicflow.boards.models import Board, BoardLead, Card


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the services, so that they are checked and recorded."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Board)
class BoardAdmin(ReadOnlyAdmin):
    list_display = ("team", "organisation", "created_at")
    list_select_related = ("team", "organisation")


@admin.register(BoardLead)
class BoardLeadAdmin(ReadOnlyAdmin):
    list_display = ("user", "board", "created_at")
    list_select_related = ("user", "board__team")


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ("title", "status", "organisation", "created_at")
    list_filter = ("status",)
    list_select_related = ("organisation",)
    search_fields = ("title",)
