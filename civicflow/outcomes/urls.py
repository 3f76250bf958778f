from django.urls import path

from civicflow.outcomes import views, views_corrections

app_name = "outcomes"

INITIATIVE = "initiatives/<int:pk>/"

urlpatterns = [
    path(f"{INITIATIVE}outcomes/", views.initiative_view, name="initiative"),
    path(
        f"{INITIATIVE}appraisals/new/<slug:kind>/", views.appraisal_new_view, name="appraisal_new"
    ),
    path(f"{INITIATIVE}evidence/", views.evidence_view, name="evidence"),
    path(f"{INITIATIVE}savings/", views.savings_view, name="savings"),
    path(f"{INITIATIVE}surveys/new/", views.survey_new_view, name="survey_new"),
    path("kpis/<int:kpi_id>/", views.kpi_view, name="kpi"),
    path("kpis/<int:kpi_id>/import/", views.kpi_import_view, name="kpi_import"),
    path(
        "kpi-readings/<int:reading_id>/edit/",
        views_corrections.reading_edit_view,
        name="reading_edit",
    ),
    path(
        "kpi-readings/<int:reading_id>/delete/",
        views_corrections.reading_delete_view,
        name="reading_delete",
    ),
    path("challenges/<int:challenge_id>/kpis/", views.challenge_kpis_view, name="challenge_kpis"),
    path(
        "challenges/<int:challenge_id>/surveys/new/",
        views.challenge_survey_new_view,
        name="challenge_survey_new",
    ),
    path("appraisals/<int:appraisal_id>/", views.appraisal_view, name="appraisal"),
    path("appraisals/<int:appraisal_id>/edit/", views.appraisal_edit_view, name="appraisal_edit"),
    path("organisations/<slug:slug>/benefits/", views.benefits_view, name="benefits"),
    path("surveys/<int:survey_id>/", views.survey_view, name="survey"),
    path("surveys/<int:survey_id>/answer/", views.survey_answer_view, name="survey_answer"),
    path(
        "surveys/<int:survey_id>/withdraw/",
        views_corrections.survey_withdraw_view,
        name="survey_withdraw",
    ),
    path(
        "survey-questions/<int:question_id>/edit/",
        views_corrections.question_edit_view,
        name="question_edit",
    ),
    path(
        "survey-questions/<int:question_id>/delete/",
        views_corrections.question_delete_view,
        name="question_delete",
    ),
    path("surveys/<int:survey_id>/results/", views.survey_results_view, name="survey_results"),
    path("survey-links/<str:key>/", views.survey_link_view, name="survey_link"),
]
