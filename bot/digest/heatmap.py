"""The 5x5 probability/impact heat map: open risks counted per cell, cells coloured by rating."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tools.scales import score_rating

RATING_COLOURS = {"Low": "#8fd18f", "Medium": "#ffe17a", "High": "#ffa64d", "Critical": "#e8504a"}
LEVELS = range(1, 6)
LEVEL_NAMES = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}


def _pair(risk: object) -> tuple[int, int]:
    if isinstance(risk, tuple | list):
        return int(risk[0]), int(risk[1])
    if isinstance(risk, dict):
        return int(risk["probability"]), int(risk["impact"])
    return int(risk.probability), int(risk.impact)  # type: ignore[attr-defined]


def heat_counts(risks: Iterable[object]) -> Counter[tuple[int, int]]:
    """(probability, impact) -> how many risks sit in that cell; out-of-scale values are ignored."""
    cells = (_pair(r) for r in risks)
    return Counter(c for c in cells if c[0] in LEVELS and c[1] in LEVELS)


def heatmap_png(risks: Iterable[object], *, title: str = "Open risks: probability x impact") -> bytes:
    """A PNG of the heat map for risks given as objects, dicts or (probability, impact) pairs."""
    counts = heat_counts(risks)
    # A Figure with its own Agg canvas (not pyplot): no global state, safe in scheduler threads.
    fig = Figure(figsize=(6.4, 5.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for p in LEVELS:
        for i in LEVELS:
            colour = RATING_COLOURS[score_rating(p * i)]
            ax.add_patch(Rectangle((i - 0.5, p - 0.5), 1, 1, facecolor=colour, edgecolor="white", lw=2))
            n = counts.get((p, i), 0)
            ax.text(i, p, str(n) if n else "", ha="center", va="center", fontsize=18, fontweight="bold")
            ax.text(i + 0.42, p - 0.42, str(p * i), ha="right", va="bottom", fontsize=7, color="#555555")
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(list(LEVELS), [f"{n}\n{LEVEL_NAMES[n]}" for n in LEVELS], fontsize=8)
    ax.set_yticks(list(LEVELS), [f"{LEVEL_NAMES[n]} {n}" for n in LEVELS], fontsize=8)
    ax.set_xlabel("Impact")
    ax.set_ylabel("Probability")
    ax.set_aspect("equal")
    total = sum(counts.values())
    ax.set_title(f"{title} ({total})", fontsize=11)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
