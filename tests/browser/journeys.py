"""Shared steps and starting data for the browser journeys.

Starting data is built with the factories inside each test (the live server
shares the database with ``transaction=True``); everything the journey itself
proves is then done through the screens.
"""

import datetime
import io
import re
import struct
import zipfile
import zlib
from decimal import Decimal

from core.rules import person_of
from core.thai import fiscal_year_range, to_arabic_digits
from projects.models import Project
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpectedResultFactory,
    ExpenseCategoryFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MissionFactory,
    ObjectiveFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    ProjectTargetFactory,
    QuarterPlanFactory,
    StrategyFactory,
)

PASSWORD = "secret-pass"
TIMEOUT = 20_000


def login(page, live_server, user) -> None:
    """Sign in as ``user`` (signing out whoever was signed in)."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def make_staff_user(user):
    """Admin pages need ``is_staff``; roles still decide what they may do."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def success_text(page) -> str:
    return page.locator(".messages, ul.messagelist").first.inner_text()


def choose_autocomplete(page, select_id: str, typed: str) -> None:
    """Pick the first match of an admin autocomplete (select2) box."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    option = page.locator(".select2-results__option", has_text=typed).first
    option.click()


def first_of_year(fiscal_year: int) -> datetime.date:
    return fiscal_year_range(fiscal_year)[0]


def previous_year_direction(office, fiscal_year: int):
    """Last year's approved-style direction, to be copied forward in the UI."""
    plan = PlanFactory(
        organization=office,
        fiscal_year=fiscal_year - 1,
        vision="นักเรียนมีคุณภาพ ครูมีสมรรถนะ สถานศึกษามีมาตรฐาน",
    )
    MissionFactory(plan=plan, number=1)
    goal = GoalFactory(plan=plan, number=1)
    strategy = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียนและครู")
    strategy.goals.add(goal)
    indicator = IndicatorFactory(strategy=strategy, number=1, goal=goal)
    for year in range(fiscal_year - 1, fiscal_year + 3):
        IndicatorTargetFactory(indicator=indicator, fiscal_year=year, target_value=80)
    return plan


def current_direction(office, fiscal_year: int):
    plan = PlanFactory(organization=office, fiscal_year=fiscal_year)
    strategy = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียนและครู")
    return plan, strategy


def full_project(plan, strategy, group, *, name, status, responsible=None):
    """A complete sheet: every section, two priced activities with a
    quarterly plan, a KPI and a strategy link (8,000 baht)."""
    start = first_of_year(plan.fiscal_year)
    project = ProjectFactory(
        plan=plan,
        group=group,
        name=name,
        status=status,
        start_month=start,
        end_month=start.replace(year=start.year + 1, month=9),
    )
    project.strategies.add(strategy)
    if responsible is not None:
        ProjectResponsibleFactory(project=project, person=person_of(responsible))
    ObjectiveFactory(project=project)
    ProjectTargetFactory(project=project)
    ExpectedResultFactory(project=project)
    ProjectKPIFactory(project=project, name="ร้อยละของครูที่นำความรู้ไปใช้")
    second_quarter = start.replace(year=start.year + 1, month=1)
    for order, (month, quarter) in enumerate(
        ((start, 1), (second_quarter, 2)), start=1
    ):
        activity = ActivityFactory(
            project=project,
            order=order,
            name=f"กิจกรรมที่ {order} ประชุมเชิงปฏิบัติการ",
            months=[month.isoformat()],
        )
        CostLineFactory(
            activity=activity,
            category=ExpenseCategoryFactory(),
            persons=20,
            rate=200,
            amount=Decimal("4000"),
        )
        QuarterPlanFactory(activity=activity, quarter=quarter, amount=Decimal("4000"))
    return project


def approved_project(plan, strategy, group, *, name, responsible=None):
    return full_project(
        plan,
        strategy,
        group,
        name=name,
        status=Project.Status.APPROVED,
        responsible=responsible,
    )


def small_png() -> bytes:
    """A real 8×8 PNG (a blue square) for the evidence upload."""
    width = height = 8
    raw = b"".join(b"\x00" + b"\x1c\x4e\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def small_docx(*, macro: bool = False, folder: str = "word/") -> bytes:
    """A minimal Word file (python-docx is not installed): the ZIP container
    with ``[Content_Types].xml`` and the main part; ``macro`` adds a VBA
    project and the macro-enabled content type, as a .docm carries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        kind = "macroEnabled.main+xml" if macro else "document.main+xml"
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="application/vnd.ms-word.{kind}"/></Types>',
        )
        archive.writestr(f"{folder}document.xml", "<w:document/>")
        if macro:
            archive.writestr(f"{folder}vbaProject.bin", b"\x00" * 20)
    return buffer.getvalue()


#: Thai marks above/below the line; text extractors may reorder them.
_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\\s]")


def compact(text: str) -> str:
    """Text without spaces or Thai marks, in Arabic digits, for comparing what
    a PDF's text layer gives back with what was typed."""
    return _THAI_MARKS.sub("", to_arabic_digits(text))


class CountedUser:
    """A Playwright page that counts what the user does, for issue 18's
    journey budgets ("≤ 45 interactions beyond typing the content itself").

    Two tallies, kept apart because the budgets are about the second:

    * ``content`` — typing or choosing a value the source document holds
      (a title, an amount, a category, a file of evidence). Every product
      needs these; they are recorded but not charged.
    * ``interactions`` — everything else a person does: opening a page,
      clicking a button or link, ticking a box, typing something that is not
      content (a row number, a search word), choosing something the product
      could have known (the fiscal year, the activity a cost line belongs to).

    A journey test drives the page only through these methods, so the count
    cannot drift from what the test really did; ``log`` lists every charged
    step for the failure message.
    """

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.interactions = 0
        self.content = 0
        self.log: list[str] = []

    def _charge(self, what: str) -> None:
        self.interactions += 1
        self.log.append(what)

    def goto(self, path: str) -> None:
        """Typing an address or following a bookmark: one interaction."""
        self._charge(f"goto {path}")
        self.page.goto(f"{self.base}{path}")

    def click(self, target) -> None:
        """Click a selector string or a Playwright locator."""
        self._charge(f"click {target}")
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.click()

    def check(self, target) -> None:
        self._charge(f"check {target}")
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.check()

    def fill(self, target, value: str) -> None:
        """Typing that is not content (charged)."""
        self._charge(f"fill {target}")
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.fill(value)

    def select(self, target, value=None, *, label=None) -> None:
        """A choice that is not content (charged)."""
        self._charge(f"select {target}")
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.select_option(value=value, label=label)

    def type_content(self, target, value: str) -> None:
        """Typing a value from the source document (not charged)."""
        self.content += 1
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.fill(value)

    def choose_content(self, target, value=None, *, label=None) -> None:
        """Choosing a value from the source document (not charged)."""
        self.content += 1
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.select_option(value=value, label=label)

    def attach_content(self, target, files) -> None:
        """Choosing the evidence files themselves (not charged); the click
        that opens the file chooser is charged by the caller."""
        self.content += 1
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.set_input_files(files)

    def report(self) -> str:
        steps = "\n".join(f"  {n}. {step}" for n, step in enumerate(self.log, 1))
        return (
            f"{self.interactions} interactions, {self.content} content entries:\n"
            f"{steps}"
        )
