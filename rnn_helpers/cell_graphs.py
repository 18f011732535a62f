"""The LSTM's and the GRU's equations as data: one node per line of the equations, so that the same description
is evaluated here (and checked against ``scratch.lstm_step`` / ``scratch.gru_step``) and drawn by
``viz.plot_cell_diagram`` (a cell diagram in the manner of Olah's "Understanding LSTM networks", 2015).

A node is one operation on named values:

    layer     a gate or candidate: act(W_i· x_t + b_i· + W_h· h_{t-1} + b_h·), one block of PyTorch's stacked
              weights; for the GRU's candidate the reset gate multiplies the recurrent part, r ⊙ (W_hn h + b_hn)
    mul       elementwise product ⊙ of two values
    add       sum of two values
    one_minus 1 - value
    tanh      tanh of a value

The inputs of a cell are ``x_t``, ``h_{t-1}`` and (LSTM) ``c_{t-1}``; its outputs ``h_t`` and (LSTM) ``c_t``.
Names are the chapters' symbols. Introduced in 05_lstm.ipynb (LSTM) and 06_gru.ipynb (GRU).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_array, check_choice
from rnn_helpers.scratch import sigmoid

KINDS = ("layer", "mul", "add", "one_minus", "tanh")


@dataclass(frozen=True)
class Node:
    """One line of a cell's equations: ``name = kind(inputs)``; ``activation`` and ``block`` for a layer."""

    name: str
    kind: str
    inputs: tuple[str, ...]
    activation: str = ""  # "sigmoid" or "tanh", for a layer
    block: int = -1  # which block of rows of W_ih / W_hh a layer reads (PyTorch's order)
    reset: str = ""  # the GRU's candidate: the gate that multiplies its recurrent part


@dataclass(frozen=True)
class CellGraph:
    """A recurrent cell as a list of nodes in the order they are computed."""

    cell: str  # "lstm" or "gru"
    gate_order: str  # PyTorch's order of the blocks of rows: "ifgo" or "rzn"
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    nodes: tuple[Node, ...]


LSTM_GRAPH = CellGraph(
    cell="lstm",
    gate_order="ifgo",
    inputs=("x_t", "h_{t-1}", "c_{t-1}"),
    outputs=("h_t", "c_t"),
    nodes=(
        Node("f_t", "layer", ("x_t", "h_{t-1}"), "sigmoid", 1),  # f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
        Node("i_t", "layer", ("x_t", "h_{t-1}"), "sigmoid", 0),  # i_t = σ(...)
        Node("g_t", "layer", ("x_t", "h_{t-1}"), "tanh", 2),  # g_t = tanh(...)
        Node("o_t", "layer", ("x_t", "h_{t-1}"), "sigmoid", 3),  # o_t = σ(...)
        Node("f_t ⊙ c_{t-1}", "mul", ("f_t", "c_{t-1}")),
        Node("i_t ⊙ g_t", "mul", ("i_t", "g_t")),
        Node("c_t", "add", ("f_t ⊙ c_{t-1}", "i_t ⊙ g_t")),  # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
        Node("tanh(c_t)", "tanh", ("c_t",)),
        Node("h_t", "mul", ("o_t", "tanh(c_t)")),  # h_t = o_t ⊙ tanh(c_t)
    ),
)

GRU_GRAPH = CellGraph(
    cell="gru",
    gate_order="rzn",
    inputs=("x_t", "h_{t-1}"),
    outputs=("h_t",),
    nodes=(
        Node("r_t", "layer", ("x_t", "h_{t-1}"), "sigmoid", 0),  # r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
        Node("z_t", "layer", ("x_t", "h_{t-1}"), "sigmoid", 1),  # z_t = σ(...)
        # n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
        Node("n_t", "layer", ("x_t", "h_{t-1}", "r_t"), "tanh", 2, reset="r_t"),
        Node("1 - z_t", "one_minus", ("z_t",)),
        Node("z_t ⊙ h_{t-1}", "mul", ("z_t", "h_{t-1}")),
        Node("(1 - z_t) ⊙ n_t", "mul", ("1 - z_t", "n_t")),
        Node("h_t", "add", ("z_t ⊙ h_{t-1}", "(1 - z_t) ⊙ n_t")),  # h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}
    ),
)

GRAPHS = {"lstm": LSTM_GRAPH, "gru": GRU_GRAPH}


def cell_graph(cell: str) -> CellGraph:
    """The equations of ``"lstm"`` or ``"gru"`` (PyTorch's conventions) as a ``CellGraph``."""
    return GRAPHS[check_choice("cell", cell, list(GRAPHS))]


def evaluate(graph: CellGraph, x_t, h_prev, W_ih, W_hh, b_ih=None, b_hh=None, c_prev=None) -> dict:
    """Run a cell's graph on numbers: every node's value, keyed by its name (inputs included).

    Shapes as for ``scratch.lstm_step``: x_t (B, I), h_prev and c_prev (B, H), W_ih (G·H, I), W_hh (G·H, H),
    biases (G·H,) or None, G = len(graph.gate_order). ``c_prev`` is required for the LSTM only.
    """
    if not isinstance(graph, CellGraph):
        raise TypeError(f"graph must be a CellGraph (cell_graph('lstm') or cell_graph('gru')), got {type(graph)}")
    G = len(graph.gate_order)
    check_array("x_t", x_t, ndim=2)
    check_array("h_prev", h_prev, ndim=2)
    B, H = h_prev.shape
    check_array("W_ih", W_ih, shape=(G * H, x_t.shape[1]))
    check_array("W_hh", W_hh, shape=(G * H, H))
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            check_array(name, b, shape=(G * H,))
    if ("c_{t-1}" in graph.inputs) != (c_prev is not None):
        need = "needs c_prev" if "c_{t-1}" in graph.inputs else "takes no c_prev"
        raise ValueError(f"the {graph.cell} graph {need}")
    zeros = np.zeros(G * H)
    b_ih = zeros if b_ih is None else b_ih
    b_hh = zeros if b_hh is None else b_hh
    values = {"x_t": x_t, "h_{t-1}": h_prev}
    if c_prev is not None:
        values["c_{t-1}"] = c_prev
    for node in graph.nodes:
        values[node.name] = _apply(node, values, W_ih, W_hh, b_ih, b_hh, H)
    return values


def _apply(node: Node, values: dict, W_ih, W_hh, b_ih, b_hh, H: int) -> np.ndarray:
    check_choice("node kind", node.kind, KINDS)
    args = [values[name] for name in node.inputs]
    if node.kind == "layer":
        rows = slice(node.block * H, (node.block + 1) * H)
        # a_x = W_i· x_t + b_i·, a_h = W_h· h_{t-1} + b_h·           (B, H) each
        a_x = values["x_t"] @ W_ih[rows].T + b_ih[rows]
        a_h = values["h_{t-1}"] @ W_hh[rows].T + b_hh[rows]
        if node.reset:
            a_h = values[node.reset] * a_h  # r_t ⊙ (W_hn h_{t-1} + b_hn)
        return sigmoid(a_x + a_h) if node.activation == "sigmoid" else np.tanh(a_x + a_h)
    if node.kind == "mul":
        return args[0] * args[1]
    if node.kind == "add":
        return args[0] + args[1]
    if node.kind == "one_minus":
        return 1.0 - args[0]
    return np.tanh(args[0])
