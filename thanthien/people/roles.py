"""The roles a user can hold. What each role may do is in each app's permissions.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICIAL = "commune_official", _("Cán bộ, công chức xã")
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo xã")
    COMMUNE_ADMIN = "commune_admin", _("Quản trị viên của xã")
    PROVINCE_EVALUATOR = "province_evaluator", _("Cán bộ thẩm định của tỉnh")
    PROVINCE_ADMIN = "province_admin", _("Quản trị viên của tỉnh")
    FRONT_MEMBER = "front_member", _("Mặt trận Tổ quốc, các ban giám sát")


COMMUNE_ROLES = frozenset(
    {Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN, Role.FRONT_MEMBER}
)
PROVINCE_ROLES = frozenset({Role.PROVINCE_EVALUATOR, Role.PROVINCE_ADMIN})
# Roles that open the Django admin (configuration); the others work in the staff workspace.
ADMIN_SITE_ROLES = frozenset({Role.COMMUNE_ADMIN, Role.PROVINCE_ADMIN})
