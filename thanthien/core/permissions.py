"""Helpers for the permission tables each app declares in its own permissions.py.

Each app's permissions.py defines ROLE_PERMISSIONS: {Role: set of "app_label.codename"}.
The role backend (people.backends) grants a user the union over every app for their role.
"""

from importlib import import_module

from django.apps import apps

ACTIONS = ("view", "add", "change", "delete")


def crud(label: str, *models: str, actions: tuple[str, ...] = ACTIONS) -> set[str]:
    """Model permissions: crud("places", "hamlet") -> {"places.view_hamlet", …}."""
    return {f"{label}.{action}_{model}" for model in models for action in actions}


def view(label: str, *models: str) -> set[str]:
    return crud(label, *models, actions=("view",))


def collect_role_permissions() -> dict[str, frozenset[str]]:
    """Merge every installed app's ROLE_PERMISSIONS table."""
    merged: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(str(role), set()).update(perms)
    return {role: frozenset(perms) for role, perms in merged.items()}
