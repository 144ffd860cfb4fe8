from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from budgets.urls import project_pages
from projects.urls import urlpatterns as project_urlpatterns

admin.site.site_header = "Phaen (แผน) – ผู้ดูแลระบบ"
admin.site.site_title = "Phaen (แผน)"
admin.site.index_title = "จัดการข้อมูล"

#: /projects/: the project pages, and those of them that read money (budgets'
#: views, which projects cannot import), under one ``projects`` namespace.
projects_urls = ([*project_pages, *project_urlpatterns], "projects")

urlpatterns = [
    path("", include("home.urls")),
    path("", include("core.urls")),
    path("plans/", include("plans.urls")),
    path("projects/", include(projects_urls)),
    path("budgets/", include("budgets.urls")),
    path("progress/", include("progress.urls")),
    path("excel/", include("excel.urls")),
    path("reports/", include("reports.urls")),
    path("network/", include("network.urls")),
    path("public/", include("public.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
