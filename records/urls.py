from django.urls import path

from records import views

urlpatterns = [
    path("communities/<slug:slug>/retention/", views.retention_rule, name="retention_rule"),
    path("communities/<slug:slug>/exports/", views.export_list, name="export_list"),
    path("communities/<slug:slug>/exports/new/", views.export_start, name="export_start"),
    path("communities/<slug:slug>/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("communities/<slug:slug>/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
