from django.urls import path

from budgets import views

app_name = "budgets"

urlpatterns = [
    # /budgets/
    path("", views.summary, name="summary"),
    path("disbursement/", views.disbursement, name="disbursement"),
]
