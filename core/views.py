from ipaddress import ip_address

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


# Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its address.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def may_read_dev_emails(request: HttpRequest) -> bool:
    """The saved emails hold private thread titles and password-reset links, so even with
    DEBUG on only a site admin, or someone at this machine (a loopback request that no
    proxy passed on, as a new admin confirming their address is), may read them."""
    if not settings.DEBUG:
        return False
    if request.user.is_authenticated and request.user.is_site_admin:
        return True
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        return ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@require_GET
def dev_emails(request: HttpRequest) -> HttpResponse:
    """DEBUG only: the emails the development backend saved, newest first."""
    if not may_read_dev_emails(request):
        raise Http404
    page_obj = Paginator(dev_mail.saved_email_files(), 20).get_page(request.GET.get("page"))
    saved = [(path.name, dev_mail.read_emails(path)) for path in page_obj]
    return render(request, "core/dev_emails.html", {"page_obj": page_obj, "saved": saved})


@require_GET
def dev_email(request: HttpRequest, name: str) -> HttpResponse:
    """DEBUG only: one saved email file, as plain text."""
    path = dev_mail.saved_email_file(name) if may_read_dev_emails(request) else None
    if path is None:
        raise Http404
    return render(request, "core/dev_email.html", {"name": name, "emails": dev_mail.read_emails(path)})
