"""Server-side SVG charts, identical on screen and in PDFs.

The functions take plain numbers and labels (already computed by selectors) and
return SVG markup as a ``SafeString``; every label is escaped here, so templates
can print the result without ``|safe``.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.thai import format_number, format_percent, percent_shares, with_digits

PALETTE = ("#1c4e80", "#2f7d32", "#e0a100", "#b42318", "#6b4c9a", "#0f7c8c", "#8a8a8a")
FONT = 'font-family="Sarabun, sans-serif"'


@dataclass(frozen=True)
class Slice:
    label: str
    value: Decimal | int
    color: str | None = None


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | int]
    color: str | None = None


def _point(cx: float, cy: float, radius: float, fraction: float) -> tuple[float, float]:
    angle = 2 * math.pi * fraction - math.pi / 2
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def pie_chart(
    slices: list[Slice],
    *,
    size: int = 200,
    digits: str = "arabic",
    title: str = "",
    empty: str = "ไม่มีข้อมูล",
) -> SafeString:
    """A pie with a legend "label – n (ร้อยละ x.xx)"; shares add up to 100.00.

    With nothing to draw, the circle says ``empty``: a sentence on a screen,
    "–" in a document (which never prints sentences about missing data)."""
    values = [Decimal(item.value) for item in slices]
    total = sum(values)
    shares = percent_shares(values)
    radius = size / 2 - 4
    cx = cy = size / 2
    legend_x = size + 16
    height = max(size, 24 * len(slices) + 8)
    width = legend_x + 320
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart pie" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT}>'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    start = Decimal(0)
    for index, (item, value) in enumerate(zip(slices, values, strict=True)):
        color = item.color or PALETTE[index % len(PALETTE)]
        if total and value:
            fraction = value / total
            if fraction == 1:
                parts.append(
                    f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{color}" '
                    f'data-label="{escape(item.label)}"/>'
                )
            else:
                x1, y1 = _point(cx, cy, radius, float(start))
                x2, y2 = _point(cx, cy, radius, float(start + fraction))
                large = 1 if fraction > Decimal("0.5") else 0
                parts.append(
                    f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} '
                    f'A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} Z" '
                    f'fill="{color}" stroke="#fff" stroke-width="1" '
                    f'data-label="{escape(item.label)}"/>'
                )
            start += fraction
        y = 8 + 24 * index
        count = with_digits(format_number(value), digits)
        share = format_percent(shares[index], digits=digits)
        parts.append(
            f'<rect x="{legend_x}" y="{y}" width="14" height="14" fill="{color}"/>'
            f'<text x="{legend_x + 20}" y="{y + 12}" font-size="13">'
            f"{escape(item.label)} – {count} ({share})</text>"
        )
    if not total:
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="#eef2f7"/>'
            f'<text x="{cx}" y="{cy}" font-size="13" text-anchor="middle">'
            f"{escape(empty)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label escaped above


def _nice_step(maximum: Decimal, ticks: int = 5) -> Decimal:
    if maximum <= 0:
        return Decimal(1)
    raw = maximum / ticks
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = magnitude * factor
        if step >= raw:
            return step
    return magnitude * 10  # pragma: no cover


def bar_chart(
    categories: list[str],
    series: list[Series],
    *,
    width: int = 640,
    height: int = 260,
    digits: str = "arabic",
    title: str = "",
) -> SafeString:
    """Grouped vertical bars: one group per category, one bar per series."""
    top, bottom, left, right = 24, 40, 90, 16
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max(
        (Decimal(value) for item in series for value in item.values), default=Decimal(0)
    )
    step = _nice_step(maximum)
    ceiling = step * max(1, math.ceil(maximum / step)) if maximum else step * 5
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar" role="img" '
        f'width="{width}" height="{height + 24}" viewBox="0 0 {width} {height + 24}" '
        f"{FONT}>"
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    tick = Decimal(0)
    while tick <= ceiling:
        y = top + plot_h - float(tick / ceiling) * plot_h
        label = with_digits(format_number(tick), digits)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#d9e2ec"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{label}</text>'
        )
        tick += step
    group_w = plot_w / max(1, len(categories))
    bar_w = group_w * 0.8 / max(1, len(series))
    for c_index, category in enumerate(categories):
        x0 = left + group_w * c_index + group_w * 0.1
        for s_index, item in enumerate(series):
            value = Decimal(item.values[c_index])
            bar_h = float(value / ceiling) * plot_h if ceiling else 0
            color = item.color or PALETTE[s_index % len(PALETTE)]
            x = x0 + bar_w * s_index
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" '
                f'height="{bar_h:.1f}" fill="{color}" '
                f'data-series="{escape(item.name)}" data-value="{value}"/>'
            )
        parts.append(
            f'<text x="{x0 + group_w * 0.4:.1f}" y="{top + plot_h + 16}" '
            f'font-size="12" text-anchor="middle">{escape(category)}</text>'
        )
    legend_y = height + 8
    x = left
    for s_index, item in enumerate(series):
        color = item.color or PALETTE[s_index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{color}"/>'
            f'<text x="{x + 16}" y="{legend_y + 11}" font-size="12">'
            f"{escape(item.name)}</text>"
        )
        x += 24 + 9 * len(item.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label escaped above
