"""Plots. Every helper takes ``ax=None`` (a new figure when ``None``) and returns the axes it drew on.

Plots only plot: the numbers they show are computed by the module that owns them (``tasks``, ``scratch``,
``probe``, ...). One module per topic, in course order; every public plot is re-exported here, so
``from rnn_helpers import viz; viz.plot_window(...)`` works whatever module it lives in. See docs/DESIGN.md.

Introduced in 00_start_here.ipynb.
"""

from rnn_helpers.viz.applications import (
    plot_anomalies,
    plot_cer_vs_snr,
    plot_confusion,
    plot_ctc_frames,
    plot_forecast,
    plot_mae_per_horizon,
    plot_temperature_diversity,
)
from rnn_helpers.viz.attention import plot_attention, plot_input_usage, plot_scaling, plot_streaming_cost
from rnn_helpers.viz.bidirectional import plot_dependence, plot_position_accuracy, plot_shift_sweep
from rnn_helpers.viz.cells import plot_cell_diagram
from rnn_helpers.viz.curves import plot_training
from rnn_helpers.viz.gates import GATE_COLOURS, plot_gate_panels, plot_gradient_reach
from rnn_helpers.viz.gradients import (
    plot_gradient_flow,
    plot_jacobian_norms,
    plot_loss_surface,
    plot_temporal_contributions,
)
from rnn_helpers.viz.hidden_states import (
    pattern_matches_html,
    plot_gate_saturation,
    plot_state_trajectory,
    plot_unit_heatmap,
    plot_unit_ranking,
    plot_unit_trace,
    text_heatmap_html,
)
from rnn_helpers.viz.history import plot_decision_boundary, plot_era_result, plot_patterns, plot_timeline
from rnn_helpers.viz.rnn import plot_rnn_step, plot_unrolled_rnn
from rnn_helpers.viz.scans import plot_recall_vs_pairs, plot_scan_round, plot_scan_speedup
from rnn_helpers.viz.seq2seq import plot_accuracy_by_length, plot_alignment, plot_beam_cost
from rnn_helpers.viz.sequences import plot_adding_example, plot_window, plot_window_input
from rnn_helpers.viz.style import (
    BLACK,
    BLUE,
    BLUE_TINT,
    CONTEXT,
    GREEN,
    GREEN_TINT,
    OKABE_ITO,
    ORANGE,
    ORANGE_TINT,
    PANEL_GREY,
    PINK,
    PINK_TINT,
    SKY_BLUE,
    VERMILION,
    YELLOW,
    axes_or_new,
)
from rnn_helpers.viz.task_shapes import TASK_SHAPES, plot_task_shapes
from rnn_helpers.viz.variants import plot_variant_scores

__all__ = [
    "GATE_COLOURS",
    "BLACK", "BLUE", "BLUE_TINT", "CONTEXT", "GREEN", "GREEN_TINT", "OKABE_ITO", "ORANGE", "ORANGE_TINT", "PANEL_GREY",
    "PINK", "PINK_TINT", "SKY_BLUE", "VERMILION", "YELLOW",  # the course palette by name (viz.style)
    "axes_or_new",
    "plot_training",
    "plot_adding_example",
    "plot_window",
    "plot_window_input",
    "plot_timeline",
    "plot_era_result",
    "plot_decision_boundary",
    "plot_patterns",
    "plot_unrolled_rnn",
    "TASK_SHAPES",
    "plot_task_shapes",
    "plot_rnn_step",
    "plot_jacobian_norms",
    "plot_gradient_flow",
    "plot_loss_surface",
    "plot_temporal_contributions",
    "plot_cell_diagram",
    "plot_gate_panels",
    "plot_gradient_reach",
    "plot_variant_scores",
    "plot_position_accuracy",
    "plot_shift_sweep",
    "plot_dependence",
    "plot_scaling",
    "plot_attention",
    "plot_input_usage",
    "plot_streaming_cost",
    "text_heatmap_html",
    "pattern_matches_html",
    "plot_unit_heatmap",
    "plot_unit_trace",
    "plot_unit_ranking",
    "plot_gate_saturation",
    "plot_state_trajectory",
    "plot_mae_per_horizon",
    "plot_forecast",
    "plot_confusion",
    "plot_temperature_diversity",
    "plot_anomalies",
    "plot_cer_vs_snr",
    "plot_ctc_frames",
    "plot_scan_round",
    "plot_scan_speedup",
    "plot_recall_vs_pairs",
    "plot_alignment",
    "plot_accuracy_by_length",
    "plot_beam_cost",
]
