from django.urls import path

from ..views import assessments, several, updates

urlpatterns = [
    path("commitments/update-several/", several.update_several, name="update_several"),
    path("commitments/<slug:slug>/update/", updates.record_update, name="commitment_update"),
    path(
        "commitments/<slug:slug>/updates/<int:pk>/correct/",
        updates.correct_update,
        name="update_correct",
    ),
    path(
        "commitments/<slug:slug>/milestones/add/",
        updates.add_milestone,
        name="milestone_add",
    ),
    path(
        "commitments/<slug:slug>/milestones/<int:pk>/complete/",
        updates.complete_milestone,
        name="milestone_complete",
    ),
    path(
        "commitments/<slug:slug>/parties/assess/",
        assessments.assess_parties,
        name="parties_assess",
    ),
    path("activity/", updates.activity, name="activity"),
]
