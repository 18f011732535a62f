"""Cell diagrams of the LSTM and the GRU (chapters 05 and 06), in the manner of Olah's "Understanding LSTM
networks" (2015): gates as boxes, pointwise operations as circles, the state running along a line. The
diagram is drawn from ``cell_graphs.cell_graph(...)``, the same nodes that ``cell_graphs.evaluate`` computes and
the tests check against ``scratch``; only the positions live here.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch

from rnn_helpers._checks import describe
from rnn_helpers.cell_graphs import CellGraph
from rnn_helpers.viz.gates import GATE_COLOURS
from rnn_helpers.viz.style import PANEL_GREY, PINK_TINT, axes_or_new

# where each value sits, in data coordinates; "bus" is the line that carries [h_{t-1}, x_t] to every layer
LAYOUTS = {
    "lstm": {
        "c_{t-1}": (0.0, 5.0), "h_{t-1}": (0.0, 1.0), "x_t": (1.0, -0.7), "bus": 1.0,
        "f_t": (2.0, 2.6), "i_t": (3.4, 2.6), "g_t": (4.8, 2.6), "o_t": (6.2, 2.6),
        "f_t ⊙ c_{t-1}": (2.0, 5.0), "i_t ⊙ g_t": (4.8, 4.0), "c_t": (4.8, 5.0),
        "tanh(c_t)": (7.6, 4.0), "h_t": (7.6, 2.6),
        "out:c_t": (10.0, 5.0), "out:h_t": (10.0, 1.0),
    },
    "gru": {
        "h_{t-1}": (0.0, 5.0), "x_t": (1.6, -0.7), "bus": 1.0,
        "r_t": (2.6, 2.3), "z_t": (4.2, 2.3), "n_t": (6.6, 2.3), "1 - z_t": (5.4, 3.6),
        "z_t ⊙ h_{t-1}": (4.2, 5.0), "(1 - z_t) ⊙ n_t": (6.6, 3.6), "h_t": (6.6, 5.0),
        "out:h_t": (10.0, 5.0),
    },
}
# edges that turn horizontally first (the others go vertically first)
HORIZONTAL_FIRST = {("c_t", "tanh(c_t)"), ("z_t", "1 - z_t")}
# edges with corners of their own: the reset gate reaches the candidate above the update gate's box
ROUTES = {("r_t", "n_t"): [(2.6, 2.6), (2.6, 3.25), (6.35, 3.25), (6.35, 2.6)]}
SYMBOLS = {"mul": r"$\odot$", "add": "+", "one_minus": "1−", "tanh": "tanh"}
ACTIVATIONS = {"sigmoid": r"$\sigma$", "tanh": "tanh"}


def _math_label(name: str) -> str:
    """A value's name in the chapters' symbols as matplotlib mathtext: ``"c_{t-1}"`` -> ``"$c_{t-1}$"``."""
    body = name.replace("⊙", r"\odot ").replace("tanh", r"\tanh ")
    body = re.sub(r"_(?!\{)(\w)", r"_{\1}", body)
    return f"${body}$"


def plot_cell_diagram(graph, *, ax=None, title=None):
    """Draw a recurrent cell from its ``CellGraph`` (``cell_graphs.cell_graph("lstm")`` or ``("gru")``).

    Every layer node becomes a box coloured like its gate in ``plot_gate_panels`` (``GATE_COLOURS``), with its
    activation inside and its symbol beside it; every pointwise node a circle with ⊙, +, 1− or tanh; every input
    of a node an arrow. Returns the axes. Introduced in 05_lstm.ipynb (LSTM), used in 06_gru.ipynb (GRU).
    """
    if not isinstance(graph, CellGraph):
        raise TypeError(f"graph must be a CellGraph (cell_graphs.cell_graph('lstm') or ('gru')), got {describe(graph)}")
    if graph.cell not in LAYOUTS:
        raise ValueError(f"no layout for the cell {graph.cell!r}; known: {sorted(LAYOUTS)}")
    layout = LAYOUTS[graph.cell]
    missing = [n.name for n in graph.nodes if n.name not in layout] + [v for v in graph.inputs if v not in layout]
    if missing:
        raise ValueError(f"the {graph.cell} layout has no position for {missing}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 4.6))
    ax = axes_or_new(ax)
    ax.add_patch(FancyBboxPatch((0.8, 0.3), 8.4, 5.3, boxstyle="round,pad=0.1", fc=PANEL_GREY, ec="0.6", lw=1))
    layers = [n for n in graph.nodes if n.kind == "layer"]
    bus_y = layout["bus"]
    # the bus: h_{t-1} (and x_t joining it) runs under every layer
    h_x, h_y = layout["h_{t-1}"]
    right = max(layout[n.name][0] for n in layers)
    if h_y != bus_y:  # the GRU's h_{t-1} runs along the top and drops to the bus
        _line(ax, [(h_x, h_y), (h_x + 0.6, h_y), (h_x + 0.6, bus_y), (right, bus_y)])
        _line(ax, [(h_x + 0.6, h_y), (layout["z_t ⊙ h_{t-1}"][0], h_y)], arrow=True)
    else:
        _line(ax, [(h_x, bus_y), (right, bus_y)])
    x_x, x_y = layout["x_t"]
    _line(ax, [(x_x, x_y + 0.25), (x_x, bus_y)])
    for node in graph.nodes:
        for source in node.inputs:
            if node.kind == "layer" and source in ("x_t", "h_{t-1}"):
                continue  # drawn once, as the arrow from the bus below
            if node.kind != "layer" and source == "h_{t-1}" and graph.cell == "gru":
                continue  # drawn with the top line
            if (source, node.name) in ROUTES:
                _line(ax, ROUTES[source, node.name], arrow=True)
                continue
            _edge(ax, layout[source], layout[node.name], horizontal_first=(source, node.name) in HORIZONTAL_FIRST)
        if node.kind == "layer":
            x, y = layout[node.name]
            _line(ax, [(x, bus_y), (x, y - 0.3)], arrow=True)
    for name in graph.outputs:
        _edge(ax, layout[name], layout[f"out:{name}"], horizontal_first=False)
        ox, oy = layout[f"out:{name}"]
        ax.text(ox + 0.15, oy, _math_label(name), va="center", ha="left", fontsize=13)
    for name in graph.inputs:
        x, y = layout[name]
        below = name == "x_t"
        ax.text(x - (0 if below else 0.15), y - (0.15 if below else 0), _math_label(name), fontsize=13,
                ha="center" if below else "right", va="top" if below else "center")
    for node in graph.nodes:
        _draw_node(ax, node, layout[node.name])
    ax.set_xlim(-1.0, 11.0)
    ax.set_ylim(-1.4, 6.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title if title is not None else f"{graph.cell.upper()} cell (PyTorch's equations)")
    return ax


def _draw_node(ax, node, position) -> None:
    x, y = position
    if node.kind == "layer":
        colour = GATE_COLOURS[node.name[0]]
        box = FancyBboxPatch((x - 0.42, y - 0.3), 0.84, 0.6, boxstyle="round,pad=0.02", fc=colour, ec="black",
                             lw=1, zorder=3, gid=f"layer:{node.name}")
        ax.add_patch(box)
        ax.text(x, y, ACTIVATIONS[node.activation], ha="center", va="center", color="white", fontsize=12, zorder=4)
        ax.text(x + 0.48, y + 0.42, _math_label(node.name), ha="left", va="bottom", color=colour, fontsize=12,
                zorder=4, fontweight="bold")
    else:
        radius = 0.36 if node.kind == "tanh" else 0.26
        ax.add_patch(Circle((x, y), radius, fc=PINK_TINT, ec="black", lw=1, zorder=3, gid=f"op:{node.name}"))
        ax.text(x, y, SYMBOLS[node.kind], ha="center", va="center", fontsize=13 if node.kind in ("mul", "add") else 9,
                zorder=4)


def _line(ax, points, *, arrow=False) -> None:
    xs, ys = zip(*points, strict=True)
    if not arrow:
        ax.plot(xs, ys, color="black", lw=1.2, zorder=1, solid_capstyle="round")
        return
    if len(points) > 2:
        ax.plot(xs[:-1], ys[:-1], color="black", lw=1.2, zorder=1)
    ax.annotate("", xy=points[-1], xytext=points[-2], zorder=2,
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2, "shrinkA": 0, "shrinkB": 0})


def _edge(ax, start, end, *, horizontal_first: bool) -> None:
    """An orthogonal arrow from ``start`` to ``end`` that stops at the edge of the node it enters."""
    (x0, y0), (x1, y1) = start, end
    corner = (x1, y0) if horizontal_first else (x0, y1)
    points = [start] + ([corner] if x0 != x1 and y0 != y1 else []) + [end]
    # stop short of the target node's outline
    (px, py), (qx, qy) = points[-2], points[-1]
    gap = 0.3
    if px == qx:
        qy = qy - gap if qy > py else qy + gap
    else:
        qx = qx - gap if qx > px else qx + gap
    _line(ax, points[:-1] + [(qx, qy)], arrow=True)
