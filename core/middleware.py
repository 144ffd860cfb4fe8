"""Request hygiene that every view would otherwise repeat."""


class StripNulFromQueryMiddleware:
    """Drop NUL characters (``%00``) from the query string before any view reads it.

    PostgreSQL refuses NUL in text, so ``?status__exact=%00`` on an admin
    changelist (or any ``?q=%00``) failed with a 500 when the filter value
    reached the database; no legitimate link carries one. The value is read
    without it, so a filter becomes "no such value" and the page shows its
    usual empty list or notice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        return self.get_response(request)
