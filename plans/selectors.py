"""Reads for the direction page and the plan book (plain rows, fixed queries)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.thai import format_number
from plans.models import Goal, Indicator, Mission, Plan, PolicyItem, Strategy


@dataclass(frozen=True)
class NumberedText:
    number: int
    text: str


@dataclass(frozen=True)
class PolicyRow:
    kind: str
    code: str
    title: str


@dataclass(frozen=True)
class IndicatorRow:
    code: str  # "1.3", or "17" straight through (Plan.indicator_label)
    name: str
    unit: str
    baseline: str
    tags: str
    goal_number: int | None
    #: one cell per year of ``Direction.years``; "" where no target is set
    targets: list[str]
    #: (year, target) for the years that have a target
    year_targets: list[tuple[int, str]] = field(default_factory=list)
    #: the name states the plan year's target: its cell is left blank, not "–"
    states_target: bool = False
    #: a success-level indicator's criteria, the plan year's target level
    #: marked (``IndicatorFields.level_rows``); empty for any other
    levels: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class StrategyRow:
    number: int
    title: str
    description: str
    goal_numbers: list[int]
    policies: list[PolicyRow]
    indicators: list[IndicatorRow]
    guidelines: list[NumberedText]
    #: what the indicators' tags mean (Strategy.characteristics), one per line
    characteristics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Direction:
    plan: Plan
    vision: str
    missions: list[NumberedText]
    goals: list[NumberedText]
    strategies: list[StrategyRow]
    #: fiscal years that have at least one target, ascending (table columns)
    years: list[int] = field(default_factory=list)
    #: the announcement's opening paragraphs (Plan.preamble)
    preamble: list[str] = field(default_factory=list)

    #: Up to this many years print as target columns; more print as a list in
    #: one column, so the table still fits a portrait page.
    MAX_YEAR_COLUMNS = 2

    @property
    def years_as_columns(self) -> bool:
        return len(self.years) <= self.MAX_YEAR_COLUMNS

    @property
    def indicator_count(self) -> int:
        return sum(len(s.indicators) for s in self.strategies)


def _baseline(indicator: Indicator) -> str:
    if indicator.baseline_value is None:
        return indicator.baseline_text
    value = indicator.baseline_value
    places = 0 if value == value.to_integral() else 2
    return format_number(value, places=places)


def _lines(text: str) -> list[str]:
    """The non-empty lines of a typed paragraph block (each prints as one)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _levels(indicator: Indicator, fiscal_year: int) -> list[dict]:
    if not indicator.is_success_level:
        return []
    target = next(
        (t for t in indicator.targets.all() if t.fiscal_year == fiscal_year), None
    )
    return indicator.level_rows(target.target_value if target else None)


def direction_for_plan(plan: Plan) -> Direction:
    """The plan's direction as a plan book prints it.

    Runs 8 queries whatever the size: missions, goals, then strategies with
    their goals, policy items, guidelines, indicators and targets prefetched.
    """
    missions = [
        NumberedText(m.number, m.text) for m in Mission.objects.filter(plan=plan)
    ]
    goal_objects = list(Goal.objects.filter(plan=plan))
    goal_numbers = {g.pk: g.number for g in goal_objects}
    goals = [NumberedText(g.number, g.text) for g in goal_objects]
    strategies = list(
        Strategy.objects.filter(plan=plan).prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("number")),
            Prefetch(
                "policy_items",
                queryset=PolicyItem.objects.order_by("kind", "order", "code"),
            ),
            "guidelines",
            Prefetch(
                "indicators", queryset=Indicator.objects.prefetch_related("targets")
            ),
        )
    )
    years = sorted(
        {
            target.fiscal_year
            for strategy in strategies
            for indicator in strategy.indicators.all()
            for target in indicator.targets.all()
        }
    )
    rows = []
    for strategy in strategies:
        indicators = []
        for indicator in strategy.indicators.all():
            by_year = {
                t.fiscal_year: t.target_display(indicator.unit, indicator.unit_label)
                for t in indicator.targets.all()
                # the name already says it ("ร้อยละ ๘๐ ของผู้เรียน …")
                if not (indicator.states_target and t.fiscal_year == plan.fiscal_year)
            }
            indicators.append(
                IndicatorRow(
                    code=plan.indicator_label(strategy.number, indicator.number),
                    name=indicator.name,
                    unit=indicator.get_unit_display(),
                    baseline=_baseline(indicator),
                    tags=indicator.tags,
                    goal_number=goal_numbers.get(indicator.goal_id),
                    targets=[by_year.get(year, "") for year in years],
                    year_targets=[
                        (year, by_year[year]) for year in years if year in by_year
                    ],
                    states_target=indicator.states_target,
                    levels=_levels(indicator, plan.fiscal_year),
                )
            )
        rows.append(
            StrategyRow(
                number=strategy.number,
                title=strategy.title,
                description=strategy.description,
                goal_numbers=[g.number for g in strategy.goals.all()],
                policies=[
                    PolicyRow(p.get_kind_display(), p.code, p.title)
                    for p in strategy.policy_items.all()
                ],
                indicators=indicators,
                guidelines=[
                    NumberedText(g.number, g.text) for g in strategy.guidelines.all()
                ],
                characteristics=_lines(strategy.characteristics),
            )
        )
    return Direction(
        plan=plan,
        vision=plan.vision,
        missions=missions,
        goals=goals,
        strategies=rows,
        years=years,
        preamble=_lines(plan.preamble),
    )
