from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    # /network/office/<id>/: one office of the overseer's subtree, read-only
    path("office/<int:organization_id>/", views.office, name="office"),
    path("<slug:slug>/", views.page, name="page"),
    path("<slug:slug>.pdf", views.page_pdf, name="page_pdf"),
    path("<slug:slug>.xlsx", views.page_xlsx, name="page_xlsx"),
]
