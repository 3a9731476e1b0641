from django.contrib import admin

from trademission.core.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "mission", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["progress", "result", "error", "task_result_id"]
