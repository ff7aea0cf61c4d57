"""Authentication backend: passwords as usual, permissions from the user's role."""

from functools import cache

from django.contrib.auth.backends import ModelBackend

from thanthien.core.permissions import collect_role_permissions


@cache
def _role_table() -> dict[str, frozenset[str]]:
    return collect_role_permissions()


class RoleBackend(ModelBackend):
    def get_role_permissions(self, user_obj) -> frozenset[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return frozenset()
        return _role_table().get(user_obj.role, frozenset())

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            user_obj._role_perm_cache = set(super().get_all_permissions(user_obj)) | set(
                self.get_role_permissions(user_obj)
            )
        return user_obj._role_perm_cache
