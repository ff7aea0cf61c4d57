"""Admin of the letters: a commune's templates (checked by the model's clean) and a read-only
view of the letters themselves (every write goes through thanthien/letters/services.py)."""

from django.contrib import admin

from thanthien.core.admin import CommuneScopedAdmin, ReadOnlyCommuneScopedAdmin
from thanthien.letters.models import Letter, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(CommuneScopedAdmin):
    list_display = ("occasion", "title", "commune", "updated_at")
    list_filter = ("occasion",)
    fields = ("commune", "occasion", "title", "body", "annex")


@admin.register(Letter)
class LetterAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("number_text", "type", "recipient_name", "state", "commune", "created_at")
    list_filter = ("type", "state")
    search_fields = ("recipient_name",)


# --- greetings (S7): the commune's own days; greetings are written through the services ----
from thanthien.letters.greetings import Greeting, GreetingOccasion  # noqa: E402


@admin.register(GreetingOccasion)
class GreetingOccasionAdmin(CommuneScopedAdmin):
    list_display = ("name", "day", "month", "is_active", "commune")
    list_filter = ("is_active",)
    fields = ("commune", "name", "day", "month", "is_active")


@admin.register(Greeting)
class GreetingAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("holiday_name", "year", "holiday_date", "state", "commune")
    list_filter = ("state", "kind")


# --- ceremonies, contributors, the yearly meeting (read-only lists) --------------------------
from thanthien.letters import admin_closeness  # noqa: E402, F401
