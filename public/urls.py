from django.urls import path, register_converter

from public import views


class YearConverter:
    """A Buddhist-era fiscal year: four digits."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(YearConverter, "be_year")

app_name = "public"

urlpatterns = [
    path("manage/", views.manage, name="manage"),
    path("<slug:slug>/", views.office_page, name="office"),
    path("<slug:slug>/<be_year:fiscal_year>/", views.year_page, name="year"),
    path("<slug:slug>/<be_year:fiscal_year>.xlsx", views.year_xlsx, name="year_xlsx"),
    path("<slug:slug>/<be_year:fiscal_year>/ita.zip", views.ita_pack, name="ita_pack"),
    path(
        "<slug:slug>/<be_year:fiscal_year>/<slug:key>.pdf",
        views.document,
        name="document",
    ),
]
