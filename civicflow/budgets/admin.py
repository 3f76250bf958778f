from django.contrib import admin

from civicflow.budgets.models import Area, Budget, Project, Result


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "phase", "total", "currency", "ballot_kind"]
    list_filter = ["phase", "ballot_kind", "eligibility"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "challenge"]
    inlines = [AreaInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "budget", "code", "cost", "area"]
    search_fields = ["title", "code"]
    raw_id_fields = ["budget", "area"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["budget", "area", "rule", "total_cost", "amount", "created_at"]
    readonly_fields = ["checksum", "selected", "explanation"]
    raw_id_fields = ["budget", "area", "published_by"]
