"""Operational endpoints."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tracker import cache as shared_cache


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not; never a stack trace.

    The cache is reported beside it: `degraded` when a shared cache (Redis) does not
    answer. Pages are then served without it, so the app is still up (200)."""
    cache_state = shared_cache.state(cache)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "cache": cache_state},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "cache": cache_state})
