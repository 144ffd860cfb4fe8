"""``core/thai.py`` is the one home of Thai formats (issue 14, item 3).

Copies of the Buddhist-era offset, of the Thai digit table or of the month
names drift apart: one place fixed, the others not (a quadratic regex fixed
in ``core/thai.py`` stayed in ``excel/parsing.py``). This test reads the
first-party code and names every copy outside ``core/thai.py``.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "config",
    "core",
    "plans",
    "projects",
    "budgets",
    "progress",
    "reports",
    "excel",
    "home",
)
HOME = ROOT / "core" / "thai.py"

#: ``year + 543``, ``543 + year``, ``year - 543``, ``+= 543``…
BE_ARITHMETIC = re.compile(r"[-+]=?\s*543\b|\b543\s*[-+]")
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
MONTH_NAMES = ("มกราคม", "ม.ค.")


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts or path == HOME:
                continue
            yield path


def _copies_in(path: Path, root: Path = ROOT) -> list[str]:
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(root)
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        code = line.split("#", 1)[0]
        if BE_ARITHMETIC.search(code):
            found.append(f"{where}:{number}: Buddhist-era arithmetic: {line.strip()}")
        if "maketrans" in code and any(digit in code for digit in THAI_DIGITS):
            found.append(f"{where}:{number}: Thai digit maketrans: {line.strip()}")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if THAI_DIGITS in node.value:
                found.append(f"{where}:{node.lineno}: Thai digit table")
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            if sum(1 for key in keys if str(key) in THAI_DIGITS) >= 5:
                found.append(f"{where}:{node.lineno}: Thai digit dict")
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if any(str(item) in MONTH_NAMES for item in items):
                found.append(f"{where}:{node.lineno}: Thai month-name table")
    return found


def test_the_checker_sees_each_kind_of_copy(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text(
        "year = day.year + 543\n"
        "back = 543 + year\n"
        'TABLE = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")\n'
        'DIGITS = {"๐": "0", "๑": "1", "๒": "2", "๓": "3", "๔": "4"}\n'
        'MONTHS = ["มกราคม", "กุมภาพันธ์"]\n'
        'ABBR = ("ม.ค.", "ก.พ.")\n',
        encoding="utf-8",
    )
    found = _copies_in(copy, root=tmp_path)
    kinds = " ".join(found)
    assert kinds.count("Buddhist-era arithmetic") == 2
    assert "Thai digit maketrans" in kinds
    assert "Thai digit dict" in kinds
    assert kinds.count("Thai month-name table") == 2
    assert all(line.startswith("copy.py:") for line in found)


def test_thai_formats_live_only_in_core_thai():
    found = [line for path in _sources() for line in _copies_in(path)]
    assert not found, "Thai formats copied outside core/thai.py:\n" + "\n".join(found)
