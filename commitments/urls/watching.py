from django.urls import path

from ..views import watching

urlpatterns = [
    path("watching/", watching.watching_page, name="watching"),
    path("watching/follow/", watching.follow, name="watch_follow"),
    path("watching/<int:pk>/unfollow/", watching.unfollow, name="watch_unfollow"),
    path("watching/digest/", watching.digest_settings, name="digest_settings"),
    path("watching/feed/reset/", watching.reset_feed, name="private_feed_reset"),
    path("watching/feed/<str:token>/", watching.private_feed, name="private_feed"),
    path("watching/unsubscribe/<str:token>/", watching.unsubscribe, name="digest_unsubscribe"),
]
