from django.urls import path

from ..views import about, browse, scorecard

urlpatterns = [
    path("about/", about.methodology, name="methodology"),
    path("commitments/", browse.commitment_list, name="commitment_list"),
    path("commitments/<slug:slug>/", browse.commitment_detail, name="commitment_detail"),
    path("actors/", browse.actor_index, name="actor_index"),
    path("actors/<slug:slug>/", browse.actor_detail, name="actor_detail"),
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("themes/", browse.theme_index, name="theme_index"),
    path("themes/<slug:slug>/", browse.theme_detail, name="theme_detail"),
    path("sources/", browse.source_index, name="source_index"),
    path("sources/<slug:slug>/", browse.source_detail, name="source_detail"),
]
