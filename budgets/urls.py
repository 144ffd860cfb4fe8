from django.urls import path

from budgets import views

app_name = "budgets"

urlpatterns = [
    # /budgets/
    path("", views.summary, name="summary"),
    path("summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("disbursement/", views.disbursement, name="disbursement"),
    path("disbursement.xlsx", views.disbursement_xlsx, name="disbursement_xlsx"),
    # The finance desk: several payments at once (issue 18 item 2).
    path("disbursements/new/", views.desk, name="desk"),
]

#: Pages under /projects/ and the ``projects`` namespace that read money, so
#: they are budgets' views: projects sits below budgets and cannot import
#: them. ``config.urls`` mounts them with ``projects.urls``, first (so that
#: ``<pk>/edit/`` is not read as the workflow action "edit").
project_pages = [
    path("checker/", views.plan_checker, name="checker"),
    path("approvals/", views.approvals, name="approvals"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
]
