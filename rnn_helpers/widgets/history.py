"""The history explorer (chapter 02)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import describe


def _era_html(era: str, milestones, results) -> str:
    """The text under the timeline: the era's milestones with their sources, and its result if there is one."""
    import html

    from rnn_helpers.history import ERA_ELSEWHERE, ERAS

    items = "".join(
        f"<li><b>{m.year} · {html.escape(m.name)}</b>: {html.escape(m.idea)}. "
        f"<span style='color:#555'>{html.escape(m.citation)}.</span></li>"
        for m in milestones if m.era == era
    )
    result = results.get(era)
    found = (f"<p><b>Run in this notebook:</b> {html.escape(result.summary)}</p>" if result is not None else
             f"<p><b>Not run here:</b> {html.escape(ERA_ELSEWHERE.get(era, 'see the later chapters'))}.</p>")
    return f"<h4>{html.escape(ERAS[era])}</h4><ul>{items}</ul>{found}"


def history_explorer(milestones, results, *, era: str | None = None) -> widgets.VBox:
    """Pick an era of the history: the timeline with that era highlighted, its milestones and sources, and the
    result this notebook measured for it (an ``history.EraResult``), drawn from numbers computed beforehand so
    that changing the era only redraws.

    Args:
        milestones: a sequence of ``history.Milestone`` (e.g. ``history.MILESTONES``).
        results: dict era key -> ``history.EraResult`` (eras without an entry say where they are covered).
        era: the era shown first (default: the first one).

    Returns a ``VBox``: ``.children[0]`` the era menu (a ``Dropdown`` of era keys), ``.children[1]`` the text
    (an ``HTML``), ``.children[2]`` the plot output; drawing by ``viz.plot_timeline`` and
    ``viz.plot_era_result``. Introduced in 02_history.ipynb.
    """
    import matplotlib.pyplot as plt

    from rnn_helpers.history import ERAS, EraResult, Milestone

    milestones = list(milestones) if isinstance(milestones, (list, tuple)) else milestones
    if not isinstance(milestones, list) or not milestones or not all(isinstance(m, Milestone) for m in milestones):
        raise TypeError(f"milestones must be a non-empty list of history.Milestone, got {describe(milestones)}")
    if not isinstance(results, dict) or not all(isinstance(r, EraResult) for r in results.values()):
        raise TypeError(f"results must be a dict era -> history.EraResult, got {describe(results)}")
    for key, result in results.items():
        if key != result.era:
            raise ValueError(f"results[{key!r}] holds the result of era {result.era!r}")
    eras = [key for key in ERAS if any(m.era == key for m in milestones)]
    if era is None:
        era = eras[0]
    elif era not in eras:
        raise ValueError(f"era must be one of {eras}, got {era!r}")
    menu = widgets.Dropdown(options=[(ERAS[key], key) for key in eras], value=era, description="era",
                            layout=widgets.Layout(width="520px"))
    text = widgets.HTML(_era_html(era, milestones, results))

    def draw(era):
        text.value = _era_html(era, milestones, results)
        result = results.get(era)
        fig, axes = plt.subplots(1, 2 if result is not None else 1, figsize=(12 if result else 9, 3.8),
                                 gridspec_kw={"width_ratios": [1.4, 1]} if result is not None else None,
                                 squeeze=False)
        viz.plot_timeline(milestones, highlight=era, ax=axes[0, 0])
        if result is not None:
            viz.plot_era_result(result, ax=axes[0, 1])
        fig.tight_layout()
        plt.show()

    out = widgets.interactive_output(draw, {"era": menu})
    return widgets.VBox([menu, text, out])
