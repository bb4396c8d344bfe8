"""A stacked bar chart as plain numbers for an inline SVG template."""

import math
from dataclasses import dataclass

COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#9d755d")


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    width: int
    height: float
    colour: str
    title: str


def axis_top(largest):
    """Return a round axis maximum >= `largest`: 1, 2, 5 or 10 times 10^n."""
    if largest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 5, 10):
        if step * power >= largest:
            return step * power
    return 10 * power  # Not reached; keeps the return type obvious.


def stacked_bars(columns, series, *, height=200, bar_width=28, gap=12, left=40):
    """Lay out bars for [(label, [value per series])] and series names.

    Return a dict: bars, labels with x, ticks (y, value) for the value axis
    (whose labels sit in the `left` margin), the total width and height.
    """
    top = axis_top(max((sum(values) for _, values in columns), default=0))
    scale = height / top
    bars, labels = [], []
    for index, (label, values) in enumerate(columns):
        x = left + gap + index * (bar_width + gap)
        y = float(height)
        for name, value, colour in zip(series, values, COLOURS, strict=False):
            if not value:
                continue
            bar_height = value * scale
            y -= bar_height
            bars.append(
                Bar(
                    x,
                    round(y, 1),
                    bar_width,
                    round(bar_height, 1),
                    colour,
                    f"{label}: {name} {value}",
                )
            )
        labels.append((x + bar_width / 2, label))
    # Ticks at 0, half and the top; the half only when it is a whole number.
    values = [0, top // 2, top] if top % 2 == 0 else [0, top]
    ticks = [(round(height - v * scale, 1), f"{v:,}") for v in values]
    width = left + gap + len(columns) * (bar_width + gap)
    legend = list(zip(series, COLOURS, strict=False))
    return {
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "left": left,
        "width": width,
        "height": height,
        "legend": legend,
    }
