from django.contrib import admin

from civicflow.outcomes.models import Appraisal, Kpi, Survey


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "initiative", "challenge", "target_on"]
    raw_id_fields = ["initiative", "challenge", "created_by"]


@admin.register(Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "initiative", "updated_at"]
    raw_id_fields = ["initiative", "created_by"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "follow_up_weeks"]
    raw_id_fields = ["initiative", "challenge", "created_by"]
