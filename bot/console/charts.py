"""Charts as plain geometry, drawn as inline SVG by the templates (no scripts, no network)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.console.ticket_queue import CHANNEL_NAMES

PALETTE = ("#b4232a", "#1a4f9c", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#5d4037")


@dataclass(frozen=True, slots=True)
class Rect:
    """A bar (or a bar segment) with the tooltip a pointer shows."""

    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass(frozen=True, slots=True)
class Text:
    """A label."""

    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(slots=True)
class Chart:
    """What one <svg> contains."""

    width: int
    height: int
    title: str
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)


def stacked_days(days: list[date], series: dict[str, list[int]], title: str) -> Chart:
    """One stacked bar per day, one colour per channel."""
    width, height, left, bottom, top = 720, 260, 40, 30, 10
    chart = Chart(width, height, title)
    totals = [sum(counts[i] for counts in series.values()) for i in range(len(days))]
    peak = max([*totals, 1])
    step = (width - left - 10) / max(len(days), 1)
    scale = (height - bottom - top) / peak
    chart.texts += [
        Text(left - 6, top + 8, str(peak), "end"),
        Text(left - 6, height - bottom, "0", "end"),
    ]
    names = sorted(series)
    chart.legend = [
        (CHANNEL_NAMES.get(n, n), PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)
    ]
    label_every = max(1, len(days) // 10)
    for i, day in enumerate(days):
        y: float = height - bottom
        for j, name in enumerate(names):
            count = series[name][i]
            if not count:
                continue
            h = count * scale
            y -= h
            chart.rects.append(
                Rect(
                    left + i * step + step * 0.15,
                    y,
                    step * 0.7,
                    h,
                    PALETTE[j % len(PALETTE)],
                    f"{day:%m-%d} {CHANNEL_NAMES.get(name, name)}：{count} 条",
                )
            )
        if i % label_every == 0:
            chart.texts.append(
                Text(left + i * step + step / 2, height - 10, f"{day:%m-%d}", "middle")
            )
    return chart


def horizontal_bars(items: list[tuple[str, int]], title: str, unit: str = "") -> Chart:
    """One labelled bar per item, longest first as given."""
    row, left, width = 26, 200, 720
    chart = Chart(width, max(row * len(items) + 10, 40), title)
    peak = max([n for _, n in items] + [1])
    total = sum(n for _, n in items)
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        length = (width - left - 90) * value / peak
        share = f"（{value / total:.0%}）" if total and unit == "次" else ""
        short = label if len(label) <= 14 else label[:13] + "…"
        chart.texts.append(Text(left - 8, y + 15, short, "end"))
        chart.rects.append(
            Rect(
                left,
                y + 3,
                max(length, 1),
                row - 8,
                PALETTE[i % len(PALETTE)],
                f"{label}：{value}{unit}",
            )
        )
        chart.texts.append(Text(left + length + 6, y + 15, f"{value}{unit}{share}"))
    return chart


def _shade(share: float, *, right: bool) -> str:
    """White to green (the diagonal: sent where it belonged) or white to red (elsewhere)."""
    base = (46, 125, 50) if right else (180, 35, 42)
    r, g, b = (round(255 + (c - 255) * min(max(share, 0.0), 1.0)) for c in base)
    return f"#{r:02x}{g:02x}{b:02x}"


def confusion_matrix(labels: list[str], counts: list[list[int]], title: str) -> Chart:
    """One row per true department, one column per department chosen; each cell shaded by its
    share of the row (green on the diagonal, red elsewhere). Columns are numbered like rows."""
    cell, left, top = 34, 230, 30
    size = len(labels)
    chart = Chart(left + cell * size + 10, top + cell * size + 10, title)
    for j in range(size):
        chart.texts.append(Text(left + j * cell + cell / 2, top - 10, str(j + 1), "middle"))
    for i, (label, row) in enumerate(zip(labels, counts, strict=True)):
        y = top + i * cell
        short = label if len(label) <= 12 else label[:11] + "…"
        chart.texts.append(Text(left - 8, y + cell / 2 + 5, f"{i + 1}. {short}", "end"))
        total = sum(row)
        for j, count in enumerate(row):
            share = count / total if total else 0.0
            chart.rects.append(
                Rect(
                    left + j * cell,
                    y,
                    cell - 2,
                    cell - 2,
                    _shade(share, right=i == j),
                    f"{label} → {labels[j]}：{count} 条（{share:.0%}）",
                )
            )
            if count:
                chart.texts.append(
                    Text(left + j * cell + cell / 2 - 1, y + cell / 2 + 4, str(count), "middle")
                )
    chart.legend = [("分到本部门", PALETTE[2]), ("分到其他部门", PALETTE[0])]
    return chart
