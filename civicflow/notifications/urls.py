from django.urls import path

from civicflow.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list_view, name="list"),
    path("notifications/read/", views.notification_mark_all_read_view, name="mark_all_read"),
    path("notifications/settings/", views.preferences_view, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("notifications/<int:notification_id>/", views.notification_open_view, name="open"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_mark_read_view,
        name="mark_read",
    ),
]
