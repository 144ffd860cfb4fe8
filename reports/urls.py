from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    # /reports/
    path("office/", views.office_directory, name="office_directory"),
    path("office.pdf", views.office_directory_pdf, name="office_directory_pdf"),
]
