from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import dev_mail


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """403 with a sentence saying why, for people who may see the page but not act."""
    return render(request, "403.html", {"message": message}, status=403)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app and the database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def static_page(template_name: str):
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template_name)

    return view


@require_GET
def dev_emails(request: HttpRequest) -> HttpResponse:
    """DEBUG only: the emails the development backend saved, newest first."""
    if not settings.DEBUG:
        raise Http404
    page_obj = Paginator(dev_mail.saved_email_files(), 20).get_page(request.GET.get("page"))
    saved = [(path.name, dev_mail.read_emails(path)) for path in page_obj]
    return render(request, "core/dev_emails.html", {"page_obj": page_obj, "saved": saved})


@require_GET
def dev_email(request: HttpRequest, name: str) -> HttpResponse:
    """DEBUG only: one saved email file, as plain text."""
    path = dev_mail.saved_email_file(name) if settings.DEBUG else None
    if path is None:
        raise Http404
    return render(request, "core/dev_email.html", {"name": name, "emails": dev_mail.read_emails(path)})
