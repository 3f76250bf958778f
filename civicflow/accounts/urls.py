from django.urls import path

from civicflow.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_list_view, name="organisations"),
    path("organisations/new/", views.organisation_create_view, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail_view, name="organisation"),
    path("organisations/<slug:slug>/members/", views.member_list_view, name="members"),
    path(
        "organisations/<slug:slug>/members/<int:user_id>/",
        views.member_edit_view,
        name="member_edit",
    ),
    path(
        "organisations/<slug:slug>/members/<int:user_id>/remove/",
        views.member_remove_view,
        name="member_remove",
    ),
    path("organisations/<slug:slug>/teams/", views.team_list_view, name="teams"),
    path(
        "organisations/<slug:slug>/teams/<slug:team_slug>/",
        views.team_detail_view,
        name="team",
    ),
    path(
        "organisations/<slug:slug>/teams/<slug:team_slug>/members/<int:user_id>/remove/",
        views.team_member_remove_view,
        name="team_member_remove",
    ),
    path("organisations/<slug:slug>/audit/", views.audit_log_view, name="audit"),
    path("organisations/<slug:slug>/audit.csv", views.audit_log_csv_view, name="audit_csv"),
    path("account/", views.profile_view, name="profile"),
    path("account/data.json", views.data_export_view, name="data_export"),
    path("account/close/", views.account_erase_view, name="account_erase"),
    path("account/tokens/", views.token_list_view, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]
