"""Access rules for the staff workspace, and the registry the tenancy test walks."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect

from thanthien.core import tenancy

# URL name ("staff:audit_entry") -> dotted model label of the object its `pk` names.
# tests/test_tenancy.py fails for any staff URL with a `pk` that is missing here.
SCOPED_VIEWS: dict[str, str] = {}


def register_scoped_view(url_name: str, model_label: str) -> None:
    SCOPED_VIEWS[url_name] = model_label


def has_staff_role(user, roles: Iterable[str] | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.role:
        return False
    return roles is None or user.role in roles


def staff_required(roles: Iterable[str] | None = None) -> Callable:
    """Signed-in staff only; with `roles`, only those roles (403 for the others)."""
    allowed = frozenset(roles) if roles is not None else None

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_staff_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can_act_in_commune(user, commune_id: int | None, *, roles: Iterable[str], perm: str) -> bool:
    """The check of a service that writes a commune's rows: one of `roles` (or a superuser),
    the permission `perm`, and the commune among those the user sees."""
    allowed = user.is_authenticated and (user.is_superuser or user.role in roles)
    return bool(allowed and user.has_perm(perm) and tenancy.can_see_commune(user, commune_id))


def require_commune_role(
    user, commune_id: int | None, *, roles: Iterable[str], perm: str, message: str
) -> None:
    """PermissionDenied(message) unless `can_act_in_commune`."""
    if not can_act_in_commune(user, commune_id, roles=roles, perm=perm):
        raise PermissionDenied(message)


def require_perm(user, perm: str) -> None:
    """403 unless the user's role grants `perm` (see each app's permissions.py)."""
    if not user.has_perm(perm):
        raise PermissionDenied


def scoped_or_404(user, queryset, pk, *, perm: str):
    """One row of `queryset` (already scoped to the user's communes) after `require_perm`:
    403 without the permission, 404 for a row the user does not see."""
    require_perm(user, perm)
    return get_object_or_404(queryset, pk=pk)


def error_messages(request, error: ValidationError) -> None:
    """A service's refusal as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def post_decision(request, *, call: Callable[[], object], done: str, to: str) -> HttpResponse:
    """POST only: `call()` the service, then go to `to` with `done` or the service's refusal."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        call()
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, done)
    return redirect(to)


def download_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file the browser saves (exports, templates)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def tabular_import(request, *, form_class, service):
    """Run an import page's form: (form, report), the report None until a file is imported.

    `service(commune=…, file=…, filename=…, user=…)` does the import and returns its report.
    """
    if request.method != "POST":
        return form_class(user=request.user), None
    form = form_class(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return form, None
    upload = form.cleaned_data["file"]
    report = service(
        commune=form.chosen_commune(), file=upload, filename=upload.name, user=request.user
    )
    return form, report
