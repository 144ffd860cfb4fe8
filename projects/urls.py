from django.urls import path

from projects import views

app_name = "projects"

# /projects/ (with budgets.urls.project_pages, mounted by config.urls under
# this namespace: the project pages that read money live in budgets)
urlpatterns = [
    path("", views.project_list, name="list"),
    path("list.xlsx", views.project_list_xlsx, name="list_xlsx"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.project_action, name="action"),
    path(
        "<int:pk>/versions/<int:version>/",
        views.revision_detail,
        name="revision",
    ),
]
