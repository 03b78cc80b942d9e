"""Error answers: the API's in JSON like the rest of the API, the pages' as pages."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": gettext("Something went wrong on our side.")}, status=500)
    return defaults.server_error(request)
