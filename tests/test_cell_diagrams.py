"""The cell diagrams of 05 and 06: the graph they are drawn from computes exactly the scratch LSTM and GRU step
(so the picture shows the equations the code runs), and the drawing shows every node, coloured like the gate
heatmaps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from rnn_helpers import cell_graphs, scratch, viz


def _weights(rng, G, I, H, bias=True):
    W_ih, W_hh = rng.standard_normal((G * H, I)), rng.standard_normal((G * H, H))
    b = (rng.standard_normal(G * H), rng.standard_normal(G * H)) if bias else (None, None)
    return W_ih, W_hh, *b


@pytest.mark.parametrize("B, I, H, bias", [(3, 2, 4, True), (1, 1, 1, True), (2, 3, 5, False)])
def test_lstm_graph_is_the_scratch_step(B, I, H, bias):
    rng = np.random.default_rng(B * 10 + H)
    x, h, c = rng.standard_normal((B, I)), rng.standard_normal((B, H)), rng.standard_normal((B, H))
    W_ih, W_hh, b_ih, b_hh = _weights(rng, 4, I, H, bias)
    values = cell_graphs.evaluate(cell_graphs.cell_graph("lstm"), x, h, W_ih, W_hh, b_ih, b_hh, c_prev=c)
    h_ref, c_ref, gates = scratch.lstm_step(x, h, c, W_ih, W_hh, b_ih, b_hh)
    np.testing.assert_allclose(values["h_t"], h_ref, rtol=0, atol=1e-14)
    np.testing.assert_allclose(values["c_t"], c_ref, rtol=0, atol=1e-14)
    for gate in "ifgo":
        np.testing.assert_allclose(values[f"{gate}_t"], gates[gate], rtol=0, atol=1e-14)


@pytest.mark.parametrize("B, I, H, bias", [(3, 2, 4, True), (1, 1, 1, True), (2, 3, 5, False)])
def test_gru_graph_is_the_scratch_step(B, I, H, bias):
    rng = np.random.default_rng(B * 10 + H + 1)
    x, h = rng.standard_normal((B, I)), rng.standard_normal((B, H))
    W_ih, W_hh, b_ih, b_hh = _weights(rng, 3, I, H, bias)
    values = cell_graphs.evaluate(cell_graphs.cell_graph("gru"), x, h, W_ih, W_hh, b_ih, b_hh)
    h_ref, gates = scratch.gru_step(x, h, W_ih, W_hh, b_ih, b_hh)
    np.testing.assert_allclose(values["h_t"], h_ref, rtol=0, atol=1e-14)
    for gate in "rzn":
        np.testing.assert_allclose(values[f"{gate}_t"], gates[gate], rtol=0, atol=1e-14)


def test_a_wrong_graph_is_caught():
    """The check above can fail: the graph with the reset gate before the product is another unit."""
    graph = cell_graphs.cell_graph("gru")
    nodes = tuple(n if n.name != "n_t" else cell_graphs.Node("n_t", "layer", n.inputs, "sigmoid", 2, reset="r_t")
                  for n in graph.nodes)
    wrong = cell_graphs.CellGraph(graph.cell, graph.gate_order, graph.inputs, graph.outputs, nodes)
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    W_ih, W_hh, b_ih, b_hh = _weights(rng, 3, 3, 4)
    assert not np.allclose(cell_graphs.evaluate(wrong, x, h, W_ih, W_hh, b_ih, b_hh)["h_t"],
                           scratch.gru_step(x, h, W_ih, W_hh, b_ih, b_hh)[0])


def test_evaluate_rejects_bad_input():
    rng = np.random.default_rng(1)
    x, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    W_ih, W_hh, _, _ = _weights(rng, 4, 3, 4)
    with pytest.raises(ValueError, match="needs c_prev"):
        cell_graphs.evaluate(cell_graphs.cell_graph("lstm"), x, h, W_ih, W_hh)
    with pytest.raises(ValueError, match="W_ih must have shape"):
        cell_graphs.evaluate(cell_graphs.cell_graph("gru"), x, h, W_ih, W_hh)
    with pytest.raises(ValueError, match="cell must be one of"):
        cell_graphs.cell_graph("rnn")
    with pytest.raises(TypeError, match="CellGraph"):
        cell_graphs.evaluate("lstm", x, h, W_ih, W_hh)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_diagram_draws_every_node_in_its_gate_colour(cell):
    graph = cell_graphs.cell_graph(cell)
    ax = viz.plot_cell_diagram(graph)
    texts = {t.get_text() for t in ax.texts}
    for node in graph.nodes:
        if node.kind == "layer":
            assert viz.cells._math_label(node.name) in texts  # the gate's symbol, e.g. $f_{t}$
            box = [p for p in ax.patches if p.get_gid() == f"layer:{node.name}"]
            assert len(box) == 1 and box[0].get_facecolor() == to_rgba(viz.GATE_COLOURS[node.name[0]])
        else:
            assert [p for p in ax.patches if p.get_gid() == f"op:{node.name}"], node.name
            assert viz.cells.SYMBOLS[node.kind] in texts
    for name in graph.inputs + graph.outputs:
        assert viz.cells._math_label(name) in texts
    # every input of every node is an arrow (annotations), except the layers' x_t and h_{t-1}, one per layer
    layers = [n for n in graph.nodes if n.kind == "layer"]
    assert len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) >= len(layers) + len(graph.outputs)
    plt.close(ax.figure)


def test_gate_panels_label_gates_in_the_same_colours():
    rng = np.random.default_rng(2)
    panels = {"f": rng.uniform(size=(6, 3)), "c": rng.normal(size=(6, 3))}
    axes = viz.plot_gate_panels(panels)
    assert to_rgba(axes[0].yaxis.label.get_color()) == to_rgba(viz.GATE_COLOURS["f"])
    assert to_rgba(axes[1].yaxis.label.get_color()) == to_rgba("black")
    plt.close(axes[0].figure)


def test_diagram_rejects_bad_input():
    with pytest.raises(TypeError, match="CellGraph"):
        viz.plot_cell_diagram("lstm")
    graph = cell_graphs.cell_graph("lstm")
    odd = cell_graphs.CellGraph("rnn", "h", ("x_t", "h_{t-1}"), ("h_t",), graph.nodes)
    with pytest.raises(ValueError, match="no layout"):
        viz.plot_cell_diagram(odd)
    with pytest.raises(TypeError, match="ax must be"):
        viz.plot_cell_diagram(graph, ax="left")


def test_math_label():
    assert viz.cells._math_label("c_{t-1}") == "$c_{t-1}$"
    assert viz.cells._math_label("f_t") == "$f_{t}$"
