"""PDF rendering: WeasyPrint with fonts and images from STATIC/MEDIA only."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django_weasyprint.utils import DjangoURLFetcher
from django_weasyprint.views import WeasyTemplateResponse

ERROR_REFUSED = "ไม่อนุญาตให้เอกสาร PDF โหลดไฟล์นอก static/media: {url}"


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [root.resolve() for root in roots]


class StaticOnlyURLFetcher(DjangoURLFetcher):
    """Serve ``/static/`` and ``/media/`` from disk; refuse everything else.

    The stock fetcher forwards other URLs (``http:``, ``file:///etc/…``) to
    WeasyPrint, so text typed into a form could otherwise pull in local files.
    Files already resolved to disk (a stylesheet's relative ``@import`` or
    ``url()``) are allowed only inside the static and media folders.
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = unquote(urlparse(url).path)
            if ".." not in path.split("/"):
                if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
                    return super().fetch(url, headers)
                real = Path(path).resolve()
                if any(real.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
        raise ValueError(ERROR_REFUSED.format(url=url))


class PDFResponse(WeasyTemplateResponse):
    url_fetcher_class = StaticOnlyURLFetcher

    def __init__(self, request, template, context=None, *, filename, **kwargs):
        kwargs.setdefault("attachment", False)
        super().__init__(request, template, context, filename=filename, **kwargs)


#: How many documents WeasyPrint has laid out in this process (tests and the
#: benchmark read it to prove a cached download did not render again).
RENDER_COUNT = {"documents": 0}


def render_pdf(html: str) -> bytes:
    """Lay out ``html`` and write the PDF, fetching only static and media files."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    RENDER_COUNT["documents"] += 1
    fetcher = StaticOnlyURLFetcher()
    font_config = FontConfiguration()
    document = weasyprint.HTML(
        string=html,
        base_url=getattr(settings, "WEASYPRINT_BASEURL", "/"),
        url_fetcher=fetcher,
    ).render(font_config=font_config)
    return document.write_pdf()
