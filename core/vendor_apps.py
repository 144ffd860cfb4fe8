"""Thai names for third-party apps whose own name is not translatable.

django-axes names its app after its label ("Axes"), which the admin index
and the group permissions showed as the heading of its login records; the
offices call those records ประวัติการเข้าสู่ระบบ. Django's own apps (auth,
contenttypes) translate their names, so ``locale/th`` covers them.
"""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "ประวัติการเข้าสู่ระบบ"
