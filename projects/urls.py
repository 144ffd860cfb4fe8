from django.urls import path

from projects import views

app_name = "projects"

# /projects/
urlpatterns = [
    path("", views.project_list, name="list"),
    path("list.xlsx", views.project_list_xlsx, name="list_xlsx"),
    path("checker/", views.checker, name="checker"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.project_action, name="action"),
    path(
        "<int:pk>/versions/<int:version>/",
        views.revision_detail,
        name="revision",
    ),
]
