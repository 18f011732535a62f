"""The translation explorer (chapter 10): type a date in any language, see the translation, the beam and
the alignment."""

from __future__ import annotations

import html

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import describe


def translation_view(model, text: str, src_vocab, tgt_vocab, *, width: int = 3, ax=None) -> dict:
    """What the explorer shows for one input, computed and drawn: returns ``{"output", "beam", "alpha",
    "unknown"}`` (``unknown``: characters of ``text`` the vocabulary does not know; they read as <unk>) and draws
    the alignment on ``ax`` (nothing is drawn for a model without attention). Introduced in
    10_seq2seq_attention.ipynb."""
    from rnn_helpers.seq2seq import translate

    output, alpha, beam = translate(model, text, src_vocab, tgt_vocab, width=width)
    unknown = sorted({c for c in text if c not in src_vocab.stoi})
    if alpha is not None and len(alpha):
        viz.plot_alignment(alpha, text, output, ax=ax, title="where the model looks (⏎ = end)")
    return {"output": output, "beam": beam, "alpha": alpha, "unknown": unknown}


def _beam_html(view: dict) -> str:
    rows = "".join(f"<tr><td>{i + 1}</td><td><code>{html.escape(t)}</code></td><td>{s:.3f}</td></tr>"
                   for i, (t, s) in enumerate(view["beam"]))
    warn = (f"<p style='color:#b00020'>unknown characters (read as &lt;unk&gt;): "
            f"{html.escape(''.join(view['unknown']))}</p>" if view["unknown"] else "")
    return (f"<b>translation:</b> <code>{html.escape(view['output'])}</code>{warn}"
            f"<table><tr><th>#</th><th>beam hypothesis</th><th>log p</th></tr>{rows}</table>")


def translation_explorer(models: dict, src_vocab, tgt_vocab, *, text: str = "3. März 1999", width: int = 3):
    """Type a date (or several, separated by "; "), pick a model and a beam width: see the translation, every
    hypothesis of the beam with its log-probability, and the alignment.

    ``models`` maps a name to a ``seq2seq.Seq2Seq``. Returns a ``VBox``: ``.children[0]`` the controls (text,
    model, width), ``.children[1]`` the beam table (HTML), ``.children[2]`` the plot output. The drawing is
    ``translation_view``. Introduced in 10_seq2seq_attention.ipynb.
    """
    import matplotlib.pyplot as plt

    if not isinstance(models, dict) or not models:
        raise TypeError(f"models must be a non-empty dict name -> Seq2Seq, got {describe(models)}")
    box = widgets.Text(value=text, description="source", continuous_update=False,
                       layout=widgets.Layout(width="420px"))
    choice = widgets.Dropdown(options=list(models), description="model")
    beam = widgets.IntSlider(value=width, min=1, max=8, description="beam width", continuous_update=False)
    table = widgets.HTML()
    out = widgets.Output()

    def redraw(*_):
        out.clear_output(wait=True)
        with out:
            if not box.value.strip():
                table.value = "<i>type a date</i>"
                return
            fig, ax = plt.subplots(figsize=(max(4.0, 0.22 * len(box.value) + 1.5), 3.2))
            view = translation_view(models[choice.value], box.value, src_vocab, tgt_vocab, width=beam.value, ax=ax)
            table.value = _beam_html(view)
            if view["alpha"] is None:
                ax.set_axis_off()
                ax.text(0.5, 0.5, "this model has no attention: nothing to align", ha="center", va="center")
            plt.show()

    for control in (box, choice, beam):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([box, choice, beam]), table, out])


__all__ = ["translation_explorer", "translation_view"]
