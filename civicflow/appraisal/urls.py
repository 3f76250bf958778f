from django.urls import path

from civicflow.appraisal import round_views, views

app_name = "appraisal"

ROUND = "challenges/<int:challenge_id>/"

urlpatterns = [
    path(f"{ROUND}criteria/", views.criteria_view, name="criteria"),
    path(f"{ROUND}criteria/edit/", views.criteria_edit_view, name="criteria_edit"),
    path(f"{ROUND}panel/", views.panel_view, name="panel"),
    path(f"{ROUND}panel/reviews/", views.queue_view, name="queue"),
    path(f"{ROUND}panel/reviews/<int:assignment_id>/", views.review_view, name="review"),
    path(f"{ROUND}panel/ranking/", views.ranking_view, name="ranking"),
    path(f"{ROUND}panel/export.csv", views.export_view, name="export"),
    path(f"{ROUND}results/", views.results_view, name="results"),
    path("ideas/<int:idea_id>/business-case/", views.business_case_view, name="business_case"),
    path(f"{ROUND}prize/", round_views.prize_view, name="prize"),
    path(f"{ROUND}prize/set-up/", round_views.prize_setup_view, name="prize_setup"),
    path(f"{ROUND}prize/tiers/", round_views.prize_tiers_view, name="prize_tiers"),
    path("ideas/<int:idea_id>/eligibility/", round_views.eligibility_view, name="eligibility"),
    path(f"{ROUND}fund/", round_views.fund_view, name="fund"),
    path(f"{ROUND}fund/set-up/", round_views.fund_setup_view, name="fund_setup"),
    path(f"{ROUND}fund/apply/", round_views.fund_apply_view, name="fund_apply"),
    path(f"{ROUND}fund/awards/", round_views.fund_awards_view, name="fund_awards"),
    path(
        "fund-applications/<int:application_id>/",
        round_views.application_view,
        name="application",
    ),
    path(
        "fund-applications/<int:application_id>/letter/",
        round_views.award_letter_view,
        name="award_letter",
    ),
    path(f"{ROUND}hack-day/", round_views.hack_day_view, name="hack_day"),
    path(f"{ROUND}hack-day/set-up/", round_views.hack_day_setup_view, name="hack_day_setup"),
    path(
        "hack-teams/<int:hack_team_id>/prototype/",
        round_views.prototype_view,
        name="prototype",
    ),
]
