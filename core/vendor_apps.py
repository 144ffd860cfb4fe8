"""Thai names for third-party apps whose own name is not translatable.

django-axes names its app after its label ("Axes"), which the admin index
and the group permissions showed as the heading of its login records; the
offices call those records ประวัติการเข้าสู่ระบบ. django-tasks-db names its app in English
(not translatable) too. Django's own apps (auth,
contenttypes) translate their names, so ``locale/th`` covers them.
"""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "ประวัติการเข้าสู่ระบบ"


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db's queue of background work (the render of a document
    waits here). Its admin is not shown; its permissions are, on the group
    page, under this name."""

    verbose_name = "คิวงานเบื้องหลัง"
