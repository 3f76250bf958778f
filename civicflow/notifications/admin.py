from django.contrib import admin

from civicflow.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """Notifications are read here, for support; people mark them read themselves."""

    list_display = ["title", "kind", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "actor"]
    readonly_fields = ["read_at", "emailed_at", "created_at", "updated_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ["user", "group", "delivery", "updated_at"]
    list_filter = ["group", "delivery"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
