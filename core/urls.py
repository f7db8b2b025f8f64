from django.urls import path

from core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.static_page("core/accessibility.html"), name="accessibility"),
    path("privacy/", views.static_page("core/privacy.html"), name="privacy"),
    path("terms/", views.static_page("core/terms.html"), name="terms"),
    # Development only (404 unless DEBUG): the emails the console backend saved.
    path("dev/emails/", views.dev_emails, name="dev_emails"),
    path("dev/emails/<str:name>/", views.dev_email, name="dev_email"),
]
