from django.urls import path

from ..views import review

urlpatterns = [
    path("review/", review.review_queue, name="review_queue"),
    path("review/assign/", review.assign, name="review_assign"),
    path("review/<slug:slug>/reviewed/", review.mark_reviewed, name="review_done"),
]
