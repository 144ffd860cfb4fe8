import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every disbursement now has its project (filled by 0006); one voucher
    number per project. A separate migration from the data fill: PostgreSQL
    refuses to alter a table with pending trigger events in one transaction."""

    dependencies = [
        ("budgets", "0006_disbursement_project"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disbursement",
            name="project",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disbursements",
                to="projects.project",
                verbose_name="โครงการ",
            ),
        ),
        migrations.AddConstraint(
            model_name="disbursement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("document_number", ""), _negated=True),
                fields=("project", "document_number"),
                name="budgets_disbursement_unique_document",
                violation_error_message="เอกสารเลขที่นี้ของโครงการนี้บันทึกการเบิกจ่ายไว้แล้ว",
            ),
        ),
    ]
