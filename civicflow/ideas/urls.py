from django.urls import path

from civicflow.ideas import views

app_name = "ideas"

IDEAS = "organisations/<slug:slug>/challenges/<slug:challenge_slug>/ideas/"
IDEA = "ideas/<int:pk>/"

urlpatterns = [
    path(IDEAS, views.idea_list_view, name="list"),
    path(f"{IDEAS}new/", views.idea_create_view, name="create"),
    path(IDEA, views.idea_detail_view, name="detail"),
    path(f"{IDEA}edit/", views.idea_edit_view, name="edit"),
    path(f"{IDEA}history/", views.idea_history_view, name="history"),
    path(f"{IDEA}withdraw/", views.idea_withdraw_view, name="withdraw"),
    path(f"{IDEA}support/", views.idea_support_view, name="support"),
    path(f"{IDEA}support/withdraw/", views.idea_unsupport_view, name="unsupport"),
    path(f"{IDEA}status/", views.idea_status_view, name="status"),
    path(f"{IDEA}co-authors/", views.coauthor_list_view, name="coauthors"),
    path(
        f"{IDEA}co-authors/<int:user_id>/withdraw/",
        views.coauthor_withdraw_view,
        name="coauthor_withdraw",
    ),
    path(f"{IDEA}invitation/accept/", views.invitation_accept_view, name="invitation_accept"),
    path(f"{IDEA}invitation/decline/", views.invitation_decline_view, name="invitation_decline"),
    path(f"{IDEA}merge/", views.idea_merge_view, name="merge"),
    path(f"{IDEA}merge/undo/", views.idea_merge_undo_view, name="merge_undo"),
]
