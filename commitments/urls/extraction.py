from django.urls import path

from ..views import extraction

urlpatterns = [
    path("sources/add/", extraction.source_add, name="source_add"),
    path("sources/<slug:slug>/text/", extraction.source_text, name="source_text"),
    path("sources/<slug:slug>/extract/", extraction.source_extract, name="source_extract"),
]
