from django.contrib import admin

from civicflow.library.models import Adoption, CaseStudy


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "sharing", "evidence_level")
    list_filter = ("status", "sharing", "sector")
    search_fields = ("title",)


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ("case", "organisation", "kind", "created_at")
