from django.apps import AppConfig

from plans.approval import register_approval_check
from projects.sheet_money import SheetMoney, register_sheet_money


class BudgetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = "งบประมาณ"

    def ready(self) -> None:
        # The project sheet (projects sits below budgets) prints money: hand
        # it the cost-line sums that budgets.rollups uses (projects.sheet_money).
        cost_lines = self.get_model("CostLine").objects
        quarter_plans = self.get_model("QuarterPlan").objects
        register_sheet_money(
            SheetMoney(
                activity_budget=cost_lines.activity_sum,
                project_budget=cost_lines.project_sum,
                cost_line_count=cost_lines.project_count,
                snapshot_lines=cost_lines.snapshot_rows,
                snapshot_quarters=quarter_plans.snapshot_rows,
            )
        )
        # Plans sit below budgets: hand plan approval its gate (plans.approval).
        register_approval_check("budgets.gates.plan_approval_blockers")
