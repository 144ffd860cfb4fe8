from django.urls import path

from excel import views

app_name = "excel"

# /excel/
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template, name="template"),
    path("export/plan/", views.export_plan, name="export_plan"),
    path("emenscr/<int:plan_id>.xlsx", views.emenscr_workbook, name="emenscr_xlsx"),
    path("import/plan/", views.upload, {"kind": "plan"}, name="import_plan"),
    path(
        "import/disbursements/",
        views.upload,
        {"kind": "disbursements"},
        name="import_disbursements",
    ),
    path("import/<str:token>/", views.preview, name="preview"),
    path("import/<str:token>/confirm/", views.confirm, name="confirm"),
    path(
        "import/<str:token>/retry/",
        views.retry,
        {"step": "check"},
        name="retry_check",
    ),
    path(
        "import/<str:token>/confirm/retry/",
        views.retry,
        {"step": "confirm"},
        name="retry_confirm",
    ),
]
