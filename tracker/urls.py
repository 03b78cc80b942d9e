from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from commitments.languages import set_language
from commitments.views.ops import healthz

admin.site.site_header = _("Commitment tracker administration")
admin.site.site_title = _("Commitment tracker")

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # The header's language switcher posts to set_language; URLs carry no language prefix.
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("commitments.urls.accounts")),
    path("api/", include("commitments.api.urls")),
    path("", include("commitments.urls.dashboard")),
    # Before browse: /commitments/update-several/ is not a commitment's slug.
    path("", include("commitments.urls.updates")),
    # Before browse: /sources/add/ is not a source's slug.
    path("", include("commitments.urls.extraction")),
    path("", include("commitments.urls.review")),
    path("", include("commitments.urls.watching")),
    path("", include("commitments.urls.browse")),
    path("", include("commitments.urls.data")),
]

# The API answers its errors in JSON; the pages keep their templates.
handler404 = "commitments.views.errors.not_found"
handler500 = "commitments.views.errors.server_error"
