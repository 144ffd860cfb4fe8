"""The network's roll-up: each office's figures of a fiscal year, stored.

The overseer pages read 245 offices at once; computing their figures live
meant a whole-table ``GROUP BY`` over ~490,000 cost lines and ~281,000
payments per request (2.4–2.9 s p95 on a busy machine). One row here holds
what the four pages show of one office and year, so a page reads 245 small
rows; :func:`network.services.refresh_figures` keeps them right (see there
for why lazily, by a stamp, rather than from every writing service).
"""

from django.db import models


class OfficeYearFigures(models.Model):
    """What the network pages show of one office in one fiscal year.

    ``computed_at`` is the row's data stamp: the moment its figures were
    read, minus a margin (``services.STAMP_MARGIN``), compared with the audit
    history's ``history_date`` of the office's rows."""

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="+",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    computed_at = models.DateTimeField("คำนวณเมื่อ", db_index=True)
    #: ``Plan.Status`` value, "" when the office has no plan for the year
    plan_status = models.CharField("สถานะแผน", max_length=20, blank=True)
    projects = models.PositiveIntegerField("โครงการที่อนุมัติแล้ว", default=0)
    #: round number (as text, JSON keys) -> [sent, on time], existing rounds only
    rounds = models.JSONField("การรายงานรายรอบ", default=dict)
    allocated = models.DecimalField(
        "งบประมาณที่ได้รับจัดสรร", max_digits=16, decimal_places=2, default=0
    )
    budget = models.DecimalField(
        "งบประมาณโครงการที่อนุมัติ", max_digits=16, decimal_places=2, default=0
    )
    #: payments of approved projects, whatever their date
    paid = models.DecimalField("เบิกจ่ายแล้ว", max_digits=16, decimal_places=2, default=0)
    #: the latest ``paid_on``: a page of an earlier day subtracts what is later
    last_paid_on = models.DateField("วันที่เบิกจ่ายล่าสุด", null=True, blank=True)
    #: OBEC policy item pk (as text) -> [projects, budget as text]
    policy = models.JSONField("โครงการตามนโยบาย สพฐ.", default=dict)
    indicators = models.PositiveIntegerField("ตัวชี้วัด", default=0)
    indicators_reported = models.PositiveIntegerField("รายงานผลแล้ว", default=0)
    indicators_achieved = models.PositiveIntegerField("บรรลุเป้าหมาย", default=0)

    class Meta:
        verbose_name = "ตัวเลขสรุปของสำนักงานรายปี"
        verbose_name_plural = "ตัวเลขสรุปของสำนักงานรายปี"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="network_officeyearfigures_one_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.fiscal_year}"
