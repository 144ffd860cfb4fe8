from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("create/", views.create, name="create"),
    path("<int:pk>/direction/", views.direction, name="direction"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
]
