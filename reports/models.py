"""Editable text of the plan book: foreword, Part 1 context, Part 4, appendix."""

from django.db import models

from plans.models import Plan


class BookSection(models.Model):
    """A section of the annual plan book that is written, not computed."""

    class Part(models.TextChoices):
        FOREWORD = "foreword", "คำนำ"
        CONTEXT = "context", "ส่วนที่ 1 ข้อมูลพื้นฐาน"
        ADMINISTRATION = "administration", "ส่วนที่ 4 การบริหารแผนสู่การปฏิบัติ"
        APPENDIX = "appendix", "ภาคผนวก"

    plan = models.ForeignKey(
        Plan, verbose_name="แผน", on_delete=models.CASCADE, related_name="book_sections"
    )
    part = models.CharField("ส่วนของเล่มแผน", max_length=20, choices=Part.choices)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    title = models.CharField("หัวข้อ", max_length=255)
    body = models.TextField("เนื้อหา", blank=True, help_text="เว้นบรรทัดว่างเพื่อขึ้นย่อหน้าใหม่")
    table = models.TextField(
        "ตาราง",
        blank=True,
        help_text="บรรทัดละหนึ่งแถว คั่นช่องด้วย | แถวแรกเป็นหัวตาราง เช่น “ระดับ | จำนวนโรงเรียน”",
    )

    class Meta:
        verbose_name = "เนื้อหาเล่มแผน"
        verbose_name_plural = "เนื้อหาเล่มแผน"
        ordering = ["plan", "part", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_part_display()}: {self.title}"

    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]

    def table_rows(self) -> list[list[str]]:
        """The table as rows of cells; the first row is the header."""
        return [
            [cell.strip() for cell in line.split("|")]
            for line in self.table.splitlines()
            if line.strip()
        ]
