from django.urls import path
from django.views.decorators.http import require_safe

from ..feeds import UpdatesFeed
from ..views import data, readable, subscriptions

urlpatterns = [
    path("commitments/export.csv", data.export_csv, name="commitment_export_csv"),
    path("commitments/export.xlsx", readable.export_xlsx, name="commitment_export_xlsx"),
    path("commitments/export.json", data.export_json, name="commitment_export_json"),
    path("deadlines.ics", data.deadlines_ics, name="deadlines_ics"),
    path("feeds/updates/", require_safe(UpdatesFeed()), name="updates_feed"),
    path(
        "commitments/<slug:slug>/deadlines.ics",
        subscriptions.commitment_calendar,
        name="commitment_calendar",
    ),
    path(
        "commitments/<slug:slug>/feed/",
        require_safe(subscriptions.CommitmentUpdatesFeed()),
        name="commitment_feed",
    ),
    path("import/", data.import_commitments, name="import_commitments"),
    path("import/guide.txt", data.import_guide, name="import_guide"),
]
