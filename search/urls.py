from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/similar/", views.similar, name="similar_threads"),
]
