"""The S3 backend with the Thai-keeping name rule of :mod:`core.storage`.

A module of its own: importing it imports django-storages and boto3, which
only a deployment with ``PHAEN_STORAGE=s3`` needs (Django imports the class
named in ``STORAGES`` when the storage is first used).
"""

from storages.backends.s3 import S3Storage as BaseS3Storage

from core.storage import ThaiNameMixin


class S3Storage(ThaiNameMixin, BaseS3Storage):
    """Evidence in an S3-compatible bucket (``PHAEN_STORAGE=s3``), Thai names
    kept: django-storages uses Django's ``get_valid_name`` unchanged."""
