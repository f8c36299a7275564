"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, they print and work offline.

:func:`stacked_bars` turns a series of buckets (days or months) into the
geometry the template ``ocop/partials/bar_chart.html`` draws: positive parts
stacked above the axis, an optional negative part (returns, refunds) below it.
Every bar carries a ``<title>`` with the exact amounts; the pages that show a
chart also list the same figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 720
HEIGHT = 240
TOP = 12
BOTTOM = 26
LEFT = 4
GAP_RATIO = Decimal("0.25")
MAX_LABELS = 12


@dataclass
class Segment:
    y: float
    height: float
    css: str
    value: Decimal


@dataclass
class Bar:
    x: float
    width: float
    label: str
    show_label: bool
    title: str
    segments: list = field(default_factory=list)

    @property
    def center(self):
        return round(self.x + self.width / 2, 1)


@dataclass
class Chart:
    width: int
    height: int
    baseline: float
    bars: list
    legend: list
    top_value: Decimal
    bottom_value: Decimal
    empty: bool


def stacked_bars(buckets, positive, negative=None, label=str, describe=None,
                 width=WIDTH, height=HEIGHT):
    """Geometry of a stacked bar chart.

    ``positive`` is ``[(value_of(bucket), css_class, legend_label), ...]`` stacked
    upwards; ``negative`` one such triple drawn downwards (or None). ``label``
    names a bucket under its bar (thinned out to about ``MAX_LABELS``);
    ``describe(bucket)`` is the bar's tooltip.
    """
    buckets = list(buckets)
    ups = [[max(Decimal(0), Decimal(value(b))) for value, _c, _l in positive] for b in buckets]
    downs = [
        max(Decimal(0), Decimal(negative[0](b))) if negative else Decimal(0) for b in buckets
    ]
    top = max((sum(parts) for parts in ups), default=Decimal(0))
    bottom = max(downs, default=Decimal(0))
    span = (top + bottom) or Decimal(1)
    plot = height - TOP - BOTTOM
    baseline = TOP + float(plot * top / span) if (top or bottom) else TOP + plot
    scale = plot / float(span)
    count = max(1, len(buckets))
    slot = (width - LEFT) / count
    bar_width = max(1.0, slot * float(1 - GAP_RATIO))
    every = max(1, -(-count // MAX_LABELS))
    bars = []
    for index, bucket in enumerate(buckets):
        x = LEFT + index * slot + (slot - bar_width) / 2
        bar = Bar(
            x=round(x, 1), width=round(bar_width, 1), label=label(bucket),
            show_label=index % every == 0,
            title=describe(bucket) if describe else label(bucket),
        )
        y = baseline
        for (value, (_v, css, _l)) in zip(ups[index], positive, strict=True):
            if value:
                h = float(value) * scale
                y -= h
                bar.segments.append(Segment(round(y, 1), round(h, 1), css, value))
        if downs[index]:
            h = float(downs[index]) * scale
            bar.segments.append(Segment(round(baseline, 1), round(h, 1), negative[1], downs[index]))
        bars.append(bar)
    legend = [(css, name) for _v, css, name in positive]
    if negative:
        legend.append((negative[1], negative[2]))
    return Chart(
        width=width, height=height, baseline=round(baseline, 1), bars=bars, legend=legend,
        top_value=top, bottom_value=bottom, empty=not (top or bottom),
    )


def share_of(value, largest):
    """Percentage width (0–100, one decimal) of ``value`` against ``largest`` for bar lists."""
    if not largest or value <= 0:
        return 0
    return round(float(Decimal(value) * 100 / Decimal(largest)), 1)
