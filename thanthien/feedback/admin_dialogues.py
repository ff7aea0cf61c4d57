"""Admin of dialogue conferences, their questions and commitments: read-only lists for the
commune administrator (every write goes through dialogue_services, which checks the
commune, the role and the state)."""

from django.contrib import admin

from thanthien.core.admin import ReadOnlyCommuneScopedAdmin
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = (
        "date",
        "title",
        "status",
        "is_plan_published",
        "is_results_published",
        "commune",
    )
    list_filter = ("status", "is_plan_published", "is_results_published")
    search_fields = ("title", "place", "topics")
    date_hierarchy = "date"


@admin.register(DialogueQuestion)
class DialogueQuestionAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("dialogue", "number", "source", "asker_name", "commune")
    list_filter = ("source",)
    search_fields = ("question", "answer", "asker_name")
    list_select_related = ("dialogue",)


@admin.register(DialogueCommitment)
class DialogueCommitmentAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("text", "owner", "deadline", "status", "commune")
    list_filter = ("status",)
    search_fields = ("text", "result_note")
    list_select_related = ("owner",)
