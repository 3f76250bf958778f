from django.urls import path

from civicflow.discussion import views

app_name = "discussion"

urlpatterns = [
    path(
        "comments/on/<str:label>/<int:object_id>/",
        views.thread_view,
        name="thread",
    ),
    path("comments/<int:comment_id>/reply/", views.reply_view, name="reply"),
    path("comments/<int:comment_id>/edit/", views.edit_view, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete_view, name="delete"),
    path("comments/<int:comment_id>/flag/", views.flag_comment_view, name="flag_comment"),
    path("comments/<int:comment_id>/hide/", views.comment_hide_view, name="comment_hide"),
    path(
        "comments/<int:comment_id>/restore/",
        views.comment_restore_view,
        name="comment_restore",
    ),
    path(
        "flags/on/<str:label>/<int:object_id>/",
        views.flag_target_view,
        name="flag_target",
    ),
    path("flags/<int:flag_id>/", views.flag_view, name="flag"),
    path("flags/<int:flag_id>/hide/", views.flag_hide_view, name="flag_hide"),
    path("flags/<int:flag_id>/restore/", views.flag_restore_view, name="flag_restore"),
    path("flags/<int:flag_id>/dismiss/", views.flag_dismiss_view, name="flag_dismiss"),
    path("organisations/<slug:slug>/moderation/", views.queue_view, name="queue"),
]
