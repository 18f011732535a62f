"""Interactive explorers. Each takes its data as arguments and returns the widget; the drawing is done by a
pure plot function in ``rnn_helpers.viz`` that tests can call without a kernel.

One module per topic, in course order (the same topics as ``viz``); every explorer is re-exported here, so
``from rnn_helpers import widgets; widgets.gate_explorer(...)`` works whatever module it lives in. An explorer
calls its plots through the package (``viz.plot_gate_panels``), so a test can replace one. See docs/DESIGN.md.

Introduced in 00_start_here.ipynb.
"""

from rnn_helpers.widgets.applications import draw_forecast, forecast_explorer
from rnn_helpers.widgets.attention import streaming_cost_explorer
from rnn_helpers.widgets.bidirectional import shift_explorer
from rnn_helpers.widgets.gates import gate_explorer
from rnn_helpers.widgets.gradients import gradient_flow_explorer
from rnn_helpers.widgets.hidden_states import corpus_explorer, hidden_state_lab
from rnn_helpers.widgets.history import history_explorer
from rnn_helpers.widgets.rnn import rnn_stepper
from rnn_helpers.widgets.scans import scan_explorer
from rnn_helpers.widgets.seq2seq import translation_explorer, translation_view
from rnn_helpers.widgets.sequences import adding_explorer, window_explorer

__all__ = [
    "adding_explorer",
    "window_explorer",
    "history_explorer",
    "rnn_stepper",
    "gradient_flow_explorer",
    "gate_explorer",
    "shift_explorer",
    "streaming_cost_explorer",
    "hidden_state_lab",
    "corpus_explorer",
    "forecast_explorer",
    "draw_forecast",
    "scan_explorer",
    "translation_explorer",
    "translation_view",
]
