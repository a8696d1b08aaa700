"""Chart images for chat (PNG bytes), drawn with matplotlib's Agg canvas.

Only the object-oriented API is used (``Figure`` + ``FigureCanvasAgg``, never ``pyplot``),
so there is no global figure state and a chart can be drawn in a worker thread: callers on the
event loop use ``await asyncio.to_thread(grouped_bars, …)``. Names in Chinese need a CJK font:
the first installed Noto/Source Han/WenQuanYi family (preferring the reader's script) is put
behind DejaVu Sans as a per-glyph fallback; without one, CJK names show as boxes but the
chart is still drawn.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from functools import cache

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from bot.i18n import Lang

BASE_FONT = "DejaVu Sans"
CJK_FAMILIES: dict[Lang, tuple[str, ...]] = {
    Lang.ZH_HANT: ("Noto Sans CJK TC", "Noto Sans CJK HK", "Source Han Sans TC"),
    Lang.ZH_HANS: ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN"),
}
ANY_CJK = (
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
COLORS = ("#4C78A8", "#F58518", "#54A24B", "#B279A2")
DPI = 110

# Without a CJK font, missing glyphs are drawn as boxes; the warning per glyph is noise.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from", category=UserWarning)


@cache
def installed_families() -> frozenset[str]:
    return frozenset(entry.name for entry in font_manager.fontManager.ttflist)


@cache
def font_for(lang: Lang) -> FontProperties:
    """DejaVu Sans for Latin text, then the best installed CJK family for ``lang``."""
    installed = installed_families()
    wanted = (*CJK_FAMILIES.get(lang, ()), *ANY_CJK)
    cjk = next((family for family in wanted if family in installed), None)
    return FontProperties(family=[BASE_FONT, cjk] if cjk else [BASE_FONT])


def grouped_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    lang: Lang,
    empty: str = "",
) -> bytes:
    """A PNG of one group of bars per category (e.g. per rep), one bar per series."""
    font = font_for(lang)
    width = max(6.0, min(14.0, 1.5 + 0.6 * len(categories)))
    rotate = len(categories) > 6
    # Fixed margins: a layout engine would measure every label twice, doubling the cost.
    figure = Figure(figsize=(width, 4.2), dpi=DPI)
    figure.subplots_adjust(left=0.6 / width, right=0.98, top=0.8, bottom=0.22 if rotate else 0.1)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    figure.suptitle(title, fontproperties=font, fontsize=13, x=0.6 / width, y=0.97, ha="left")
    if not categories:
        axes.text(0.5, 0.5, empty, ha="center", va="center", fontproperties=font)
        axes.set_axis_off()
    else:
        slot = 0.8 / max(1, len(series))
        positions = range(len(categories))
        for index, (label, values) in enumerate(series):
            offset = (index - (len(series) - 1) / 2) * slot
            axes.bar(
                [p + offset for p in positions],
                list(values),
                slot,
                label=label,
                color=COLORS[index % len(COLORS)],
            )
        axes.set_xticks(list(positions))
        axes.set_xticklabels(
            list(categories),
            fontproperties=font,
            rotation=35 if rotate else 0,
            ha="right" if rotate else "center",
        )
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", alpha=0.3)
        axes.set_axisbelow(True)
        axes.legend(
            prop=font,
            frameon=False,
            ncols=len(series),
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
        )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()
