"""A stacked bar chart as plain numbers for an inline SVG template."""

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


def stacked_bars(columns, series, *, height=200, bar_width=28, gap=12):
    """Lay out bars for [(label, [value per series])] and series names.

    Return (bars, labels with x, total width, height).
    """
    top = max((sum(values) for _, values in columns), default=0) or 1
    scale = height / top
    bars, labels = [], []
    for index, (label, values) in enumerate(columns):
        x = gap + index * (bar_width + gap)
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
    width = gap + len(columns) * (bar_width + gap)
    legend = list(zip(series, COLOURS, strict=False))
    return {
        "bars": bars,
        "labels": labels,
        "width": width,
        "height": height,
        "legend": legend,
    }
