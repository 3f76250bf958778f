from django.urls import path

from civicflow.appraisal import views

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
]
