from django.urls import path

from forums import search_views

urlpatterns = [
    path("search/", search_views.search, name="search"),
    path("search/similar/", search_views.similar, name="similar_threads"),
]
