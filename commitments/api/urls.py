from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import assessments, root, scorecard, views
from .permissions import ReadPublicWriteAnalyst

# The schema and its docs follow the same reading rule as the data they describe. The
# split Swagger view serves its script as a file, as the Content Security Policy requires.
_docs = {
    "authentication_classes": views.AUTHENTICATION,
    "permission_classes": [ReadPublicWriteAnalyst],
}

urlpatterns = [
    path("", root.ApiRoot.as_view(), name="api_root"),
    path("commitments/", views.CommitmentList.as_view(), name="api_commitments"),
    path("commitments/<slug:slug>/", views.CommitmentDetail.as_view(), name="api_commitment"),
    path(
        "commitments/<slug:slug>/updates/",
        views.CommitmentUpdates.as_view(),
        name="api_commitment_updates",
    ),
    path(
        "commitments/<slug:slug>/parties/<slug:actor>/assessments/",
        assessments.PartyAssessments.as_view(),
        name="api_party_assessments",
    ),
    path(
        "commitments/<slug:slug>/deadline-changes/",
        views.CommitmentDeadlineChanges.as_view(),
        name="api_commitment_deadline_changes",
    ),
    path("updates/", views.UpdateList.as_view(), name="api_updates"),
    path("updates/<int:pk>/", views.UpdateDetail.as_view(), name="api_update"),
    path("actors/", views.ActorList.as_view(), name="api_actors"),
    path("actors/<slug:slug>/", views.ActorDetail.as_view(), name="api_actor"),
    path("themes/", views.ThemeList.as_view(), name="api_themes"),
    path("themes/<slug:slug>/", views.ThemeDetail.as_view(), name="api_theme"),
    path("sources/", views.SourceList.as_view(), name="api_sources"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="api_source"),
    path("summary/", views.Summary.as_view(), name="api_summary"),
    path("scorecard/", scorecard.Scorecard.as_view(), name="api_scorecard"),
    path(
        "schema/",
        SpectacularAPIView.as_view(**_docs),
        name="api_schema",
    ),
    path(
        "docs/",
        # A page and its script only: OPTIONS has no page to describe it (405, not a 500).
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", http_method_names=["get", "head"], **_docs
        ),
        name="api_docs",
    ),
]
