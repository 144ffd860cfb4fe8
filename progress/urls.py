from django.urls import path

from progress import views

app_name = "progress"

# /progress/
urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("board.xlsx", views.board_xlsx, name="board_xlsx"),
    path("rounds/create/", views.round_create, name="round_create"),
    # /progress/round/<round_id>/
    path(
        "round/<int:round_id>/group/<int:group_id>/",
        views.group_round,
        name="group_round",
    ),
    path("round/<int:round_id>/review/", views.review, name="review"),
    path("round/<int:round_id>/remind/", views.remind, name="remind"),
    # /progress/report/<report_id>/
    path("report/<int:report_id>/", views.report_detail, name="report_detail"),
    path("report/<int:report_id>/accept/", views.report_accept, name="report_accept"),
    path("report/<int:report_id>/return/", views.report_return, name="report_return"),
    path(
        "report/<int:report_id>/evidence/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    # /progress/evidence/<evidence_id>/
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path(
        "evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
]
