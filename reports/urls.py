from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    # /reports/
    path("", views.index, name="index"),
    path("office/", views.office_directory, name="office_directory"),
    path("office.pdf", views.office_directory_pdf, name="office_directory_pdf"),
    # /reports/plans/<id>/
    path("plans/<int:plan_id>/book/", views.plan_book, name="plan_book"),
    path("plans/<int:plan_id>/book.pdf", views.plan_book_pdf, name="plan_book_pdf"),
    # /reports/projects/<id>/
    path(
        "projects/<int:project_id>/sheet.pdf",
        views.project_sheet_pdf,
        name="project_sheet_pdf",
    ),
    path(
        "projects/<int:project_id>/revisions/<int:version>/memo.pdf",
        views.revision_memo_pdf,
        name="revision_memo_pdf",
    ),
    path(
        "projects/<int:project_id>/history/",
        views.project_history,
        name="project_history",
    ),
]

urlpatterns += [
    path("plans/<int:plan_id>/annual/", views.annual_report, name="annual_report"),
    path(
        "plans/<int:plan_id>/annual.pdf",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
    path(
        "plans/<int:plan_id>/annual.xlsx",
        views.annual_report_xlsx,
        name="annual_report_xlsx",
    ),
    # /reports/rounds/<id>/
    path("rounds/<int:round_id>/", views.progress_report, name="progress_report"),
    path(
        "rounds/<int:round_id>/report.pdf",
        views.progress_report_pdf,
        name="progress_report_pdf",
    ),
    path(
        "rounds/<int:round_id>/report.xlsx",
        views.progress_report_xlsx,
        name="progress_report_xlsx",
    ),
    # /reports/budget/ and /reports/kpi/ (filters in the query string)
    path("budget/", views.budget_report, name="budget_report"),
    path("budget.pdf", views.budget_report_pdf, name="budget_report_pdf"),
    path("budget.xlsx", views.budget_report_xlsx, name="budget_report_xlsx"),
    path("kpi/", views.kpi_report, name="kpi_report"),
    path("kpi.pdf", views.kpi_report_pdf, name="kpi_report_pdf"),
    path("kpi.xlsx", views.kpi_report_xlsx, name="kpi_report_xlsx"),
]
