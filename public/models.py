"""The office's opt-in to publish: a stable address and the years it shows.

Kept in this app, not on ``core.Organization``: publishing is a choice the
office makes about its documents, and a row per year records who published
it and when (the page shows nothing of a year without its row).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

#: The office's address on the web: short Latin letters, digits and dashes,
#: so the URL stays the same in any browser and on any website that links it.
SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "ใช้ได้เฉพาะอักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีดกลาง (ไม่ขึ้นต้นหรือลงท้ายด้วยขีดกลาง)",
)


class PublicOffice(models.Model):
    """An office that publishes: its stable public address (``/public/<slug>/``)."""

    office_path = "organization"

    organization = models.OneToOneField(
        "core.Organization",
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="public_office",
    )
    slug = models.CharField(
        "ชื่อที่อยู่หน้าเผยแพร่",
        max_length=40,
        unique=True,
        validators=[SLUG_VALIDATOR],
        help_text="ส่วนท้ายของที่อยู่หน้าเผยแพร่ของสำนักงาน คงเดิมตลอดไป",
    )

    class Meta:
        verbose_name = "หน้าเผยแพร่ของสำนักงาน"
        verbose_name_plural = "หน้าเผยแพร่ของสำนักงาน"

    def __str__(self) -> str:
        return self.slug


class PublishedYear(models.Model):
    """A fiscal year the office chose to publish (its approved plan only)."""

    office_path = "office__organization"

    office = models.ForeignKey(
        PublicOffice,
        verbose_name="หน้าเผยแพร่",
        on_delete=models.CASCADE,
        related_name="years",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    published_at = models.DateTimeField("เผยแพร่เมื่อ", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้เผยแพร่",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "ปีงบประมาณที่เผยแพร่"
        verbose_name_plural = "ปีงบประมาณที่เผยแพร่"
        ordering = ["-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year"],
                name="public_publishedyear_one_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office.slug} {self.fiscal_year}"
