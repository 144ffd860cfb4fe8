from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("setup/office/", views.setup_office, name="setup_office"),
    path(
        "account/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "account/password/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
