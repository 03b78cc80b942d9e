from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from commitments.views.ops import healthz

admin.site.site_header = "Commitment tracker administration"
admin.site.site_title = "Commitment tracker"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("commitments.urls.accounts")),
    path("api/", include("commitments.api.urls")),
    path("", include("commitments.urls.dashboard")),
    # Before browse: /commitments/update-several/ is not a commitment's slug.
    path("", include("commitments.urls.updates")),
    path("", include("commitments.urls.review")),
    path("", include("commitments.urls.watching")),
    path("", include("commitments.urls.browse")),
    path("", include("commitments.urls.data")),
]
