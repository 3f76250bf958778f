from django.urls import path

from civicflow.opinions import views

app_name = "opinions"

CHALLENGE = "organisations/<slug:slug>/challenges/<slug:challenge_slug>/conversations/"
CONVERSATION = "conversations/<int:pk>/"

urlpatterns = [
    path(CHALLENGE, views.conversation_list_view, name="list"),
    path(f"{CHALLENGE}new/", views.conversation_create_view, name="create"),
    path(f"{CHALLENGE}import/", views.conversation_import_view, name="import"),
    path(CONVERSATION, views.conversation_view, name="conversation"),
    path(f"{CONVERSATION}vote/", views.vote_view, name="vote"),
    path(f"{CONVERSATION}statements/", views.statement_list_view, name="statements"),
    path(f"{CONVERSATION}statements/new/", views.statement_create_view, name="statement_create"),
    path(f"{CONVERSATION}report/", views.report_view, name="report"),
    path(f"{CONVERSATION}edit/", views.conversation_edit_view, name="edit"),
    path(f"{CONVERSATION}moderation/", views.moderation_view, name="moderation"),
    path(
        f"{CONVERSATION}statements/<int:statement_id>/moderate/",
        views.moderate_view,
        name="moderate",
    ),
    path(f"{CONVERSATION}export.zip", views.export_view, name="export"),
    path(f"{CONVERSATION}export/<str:name>", views.export_file_view, name="export_file"),
]
