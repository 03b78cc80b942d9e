"""Access checks that views call first, so each view says who may use it."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def require_perm(request: HttpRequest, perm: str) -> HttpResponse | None:
    """None when the user holds `perm`; a redirect to the login page for anonymous
    visitors (they come back here afterwards); PermissionDenied (403) for a logged-in
    user without it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"You need the permission {perm} for this page.")
    return None
