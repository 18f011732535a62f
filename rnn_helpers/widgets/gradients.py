"""The gradient-flow explorer (chapter 04)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import check_int, check_seed


def gradient_flow_explorer(*, H: int = 16, seed: int = 0) -> widgets.VBox:
    """Sliders for the largest singular value λ1 of W_hh, the nonlinearity, the length T and the input
    strength; redraws ‖∂h_t/∂h_0‖₂ against the lag t (with the bound (γ λ1)^t) and the hidden-state trajectory.

    The computation is ``gradients.gradient_flow`` (W_hh a scaled random orthogonal matrix of size H, drawn
    from ``seed``), the drawing ``viz.plot_gradient_flow``. Returns a ``VBox`` holding the controls
    (``.children[0]``) and the plot (``.children[1]``); its ``.flow`` attribute is the latest ``GradientFlow``.
    Introduced in 04_vanishing_exploding.ipynb.
    """
    import matplotlib.pyplot as plt

    from rnn_helpers import gradients

    H = check_int("H", H, low=1)
    seed = check_seed("seed", seed)
    style = {"description_width": "initial"}
    lam = widgets.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.05, description="λ1 = ‖W_hh‖₂", style=style)
    phi = widgets.Dropdown(options=list(gradients.NONLINEARITIES), value="tanh", description="φ")
    length = widgets.IntSlider(value=60, min=5, max=200, step=5, description="T")
    scale = widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.1, description="input strength", style=style)
    box = widgets.VBox()

    def draw(spectral_norm, nonlinearity, T, input_scale):
        box.flow = gradients.gradient_flow(spectral_norm, nonlinearity, T, H=H, input_scale=input_scale, seed=seed)
        viz.plot_gradient_flow(box.flow)
        plt.show()

    out = widgets.interactive_output(
        draw, {"spectral_norm": lam, "nonlinearity": phi, "T": length, "input_scale": scale}
    )
    box.children = [widgets.VBox([widgets.HBox([lam, phi]), widgets.HBox([length, scale])]), out]
    return box
