"""Read a page's form the way a browser would submit it.

``form_data(html)`` returns the fields of the page's main POST form (the one
with the most fields, or the one whose ``id`` is given) as a dict ready for
``client.post``: text/hidden inputs, checked boxes and radios, selected
options (lists for multiple selects) and textareas. Used to test "two people
opened the same form" without hand-writing every admin inline field.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str | None, dict]] = []
        self.data: dict | None = None
        self.multiple: set = set()
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if name in self.multiple:
            self.data.setdefault(name, []).append(value)
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "").lower() == "post":
                self.data = {}
                self.multiple = set()
                self.forms.append((attrs.get("id"), self.data))
            return
        if self.data is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind == "checkbox" and name in self.data and name not in self.multiple:
                # Several ticked boxes of one name post every value, as a
                # browser does (a month grid), not only the last one.
                self.multiple.add(name)
                self.data[name] = [self.data[name]]
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
            if "multiple" in attrs:
                self.multiple.add(name)
                self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self._add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.text = []

    def handle_endtag(self, tag):
        if tag == "form":
            self.data = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.data is not None:
            value = "".join(self.text)
            self.data[self.textarea] = value[1:] if value.startswith("\n") else value
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_data(html: str | bytes, form_id: str | None = None) -> dict:
    if isinstance(html, bytes):
        html = html.decode()
    parser = _FormParser()
    parser.feed(html)
    if form_id is not None:
        return next(data for found, data in parser.forms if found == form_id)
    return max((data for _, data in parser.forms), key=len, default={})
