"""LSTM variants side by side, after Greff et al. (2017), "LSTM: A Search Space Odyssey".

``LSTMVariants`` holds M independent LSTM layers (the members) in stacked tensors and runs them together on the
same input, so that several variants and seeds train in one loop at the cost of one bigger model. Every member
has every weight of the full cell (gate order i, f, g, o as in PyTorch, two biases per gate, and the three
peephole vectors w_ci, w_cf, w_co); its variant's flags, stored as 0/1 buffers, decide which parts it uses:

    i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi + w_ci ⊙ c_{t-1})     (1 - f_t if coupled; 1 if no input gate)
    f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf + w_cf ⊙ c_{t-1})     (1 if no forget gate)
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)                  (no tanh if no input activation)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho + w_co ⊙ c_t)         (1 if no output gate)
    h_t = o_t ⊙ tanh(c_t)                                              (o_t ⊙ c_t if no output activation)

the peephole terms only with ``peepholes``. A weight a member does not use gets a zero gradient, so Adam (which
updates each number from its own gradient) never moves it, and the members train exactly as separate models
would on the same batches; ``parameters_used`` counts what each member uses. The full variant without
peepholes is ``torch.nn.LSTM``. Introduced in 05_lstm.ipynb.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from rnn_helpers._checks import check_int, describe

__all__ = ["VARIANTS", "LSTMVariants", "VariantRegressor"]

FLAGS = ("input_gate", "forget_gate", "output_gate", "coupled", "peepholes", "input_activation",
         "output_activation")
FULL = {"input_gate": True, "forget_gate": True, "output_gate": True, "coupled": False, "peepholes": False,
        "input_activation": True, "output_activation": True}

VARIANTS = {
    "LSTM": {},  # PyTorch's nn.LSTM: every gate, both activations, no peepholes
    "NIG": {"input_gate": False},  # no input gate: i_t = 1
    "NFG": {"forget_gate": False},  # no forget gate: f_t = 1, the 1997 cell
    "NOG": {"output_gate": False},  # no output gate: o_t = 1
    "CIFG": {"coupled": True},  # coupled input and forget gate: i_t = 1 - f_t
    "NIAF": {"input_activation": False},  # no input activation: g_t = the pre-activation itself
    "NOAF": {"output_activation": False},  # no output activation: h_t = o_t ⊙ c_t
    "PH": {"peepholes": True},  # with peepholes: Greff et al.'s vanilla LSTM
}
"""Variant name -> the flags it changes from the full cell without peepholes. Greff et al.'s names, except the
baseline: their vanilla LSTM has peepholes (here "PH") and their NP removes them (here "LSTM", PyTorch's)."""


def _variant_flags(variant) -> dict:
    if isinstance(variant, str):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {sorted(VARIANTS)} or a dict of flags, got {variant!r}")
        return {**FULL, **VARIANTS[variant]}
    if isinstance(variant, dict):
        unknown = sorted(set(variant) - set(FLAGS))
        if unknown:
            raise ValueError(f"variant flags must be among {list(FLAGS)}, got unknown {unknown}")
        for name, value in variant.items():
            if not isinstance(value, bool):
                raise TypeError(f"variant flag {name!r} must be True or False, got {describe(value)}")
        flags = {**FULL, **variant}
        if flags["coupled"] and not (flags["input_gate"] and flags["forget_gate"]):
            raise ValueError("coupled=True needs both the input and the forget gate (i_t = 1 - f_t)")
        return flags
    raise TypeError(f"variant must be a name among {sorted(VARIANTS)} or a dict of flags, got {describe(variant)}")


class LSTMVariants(nn.Module):
    """M independent LSTM layers, one per entry of ``variants``, run side by side (batch first).

    Args:
        input_size, hidden_size: I and H (the same for every member).
        variants: a list of names from ``VARIANTS`` or dicts of flags (see the module docstring), one member each.
        seeds: one integer per member (or None: 0, 1, ..., M-1): member m draws its weights, like PyTorch,
            uniformly from [-1/√H, 1/√H] with ``torch.Generator().manual_seed(seeds[m])``, so a name repeated
            with different seeds gives different initialisations, and equal seeds equal ones.

    ``forward(x, state=None)``: x (B, T, I), the same for every member, or (M, B, T, I); returns ``out``
    (M, B, T, H) and ``(h, c)``, each (M, B, H). Parameters: ``weight_ih`` (M, 4H, I), ``weight_hh`` (M, 4H, H),
    ``bias_ih``, ``bias_hh`` (M, 4H), ``peephole`` (M, 3, H) holding w_ci, w_cf, w_co.
    ``member_weights(m)`` gives member m's weights with ``nn.LSTM``'s names. Introduced in 05_lstm.ipynb.
    """

    def __init__(self, input_size: int, hidden_size: int, variants, *, seeds=None):
        super().__init__()
        self.input_size = check_int("input_size", input_size, low=1)
        self.hidden_size = H = check_int("hidden_size", hidden_size, low=1)
        if not isinstance(variants, list | tuple) or not variants:
            raise TypeError(
                f"variants must be a non-empty list of variant names or flag dicts, got {describe(variants)}")
        self.flags = [_variant_flags(v) for v in variants]
        self.names = [v if isinstance(v, str) else "custom" for v in variants]
        M = len(variants)
        seeds = list(range(M)) if seeds is None else seeds
        if not isinstance(seeds, list | tuple) or len(seeds) != M:
            raise ValueError(f"seeds must be None or a list of {M} integers (one per member), got {describe(seeds)}")
        seeds = [check_int(f"seeds[{m}]", s, low=0) for m, s in enumerate(seeds)]
        shapes = {"weight_ih": (4 * H, input_size), "weight_hh": (4 * H, H), "bias_ih": (4 * H,),
                  "bias_hh": (4 * H,), "peephole": (3, H)}
        k = 1.0 / math.sqrt(H)
        values = {name: [] for name in shapes}
        for seed in seeds:
            generator = torch.Generator().manual_seed(seed)
            for name, shape in shapes.items():
                values[name].append((torch.rand(shape, generator=generator) * 2 - 1) * k)
        for name in shapes:
            setattr(self, name, nn.Parameter(torch.stack(values[name])))
        for flag in FLAGS:  # (M, 1, 1): broadcast over batch and units
            self.register_buffer(flag, torch.tensor([float(f[flag]) for f in self.flags]).view(M, 1, 1))

    @property
    def members(self) -> int:
        return len(self.flags)

    def member_weights(self, m: int) -> dict:
        """Member m's weights with ``torch.nn.LSTM``'s names (``weight_ih_l0``, ...) and its peephole vectors."""
        m = check_int("m", m, low=0, high=self.members - 1)
        return {"weight_ih_l0": self.weight_ih[m], "weight_hh_l0": self.weight_hh[m], "bias_ih_l0": self.bias_ih[m],
                "bias_hh_l0": self.bias_hh[m], "w_ci": self.peephole[m, 0], "w_cf": self.peephole[m, 1],
                "w_co": self.peephole[m, 2]}

    def parameters_used(self) -> list[int]:
        """For each member, the number of weights its variant uses (the rest stay at their initial values)."""
        H, I = self.hidden_size, self.input_size
        per_gate = H * I + H * H + 2 * H
        counts = []
        for f in self.flags:
            sigmoid_gates = (f["input_gate"] and not f["coupled"]) + f["forget_gate"] + f["output_gate"]
            gates = 1 + sigmoid_gates  # g is always there
            peepholes = f["peepholes"] * H * sigmoid_gates
            counts.append(int(gates * per_gate + peepholes))
        return counts

    def forward(self, x: torch.Tensor, state=None):
        M, H = self.members, self.hidden_size
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch tensor (B, T, I) or (M, B, T, I), got {describe(x)}")
        if x.ndim == 3:
            x = x.unsqueeze(0).expand(M, *x.shape)
        if x.ndim != 4 or x.shape[0] != M or x.shape[-1] != self.input_size:
            raise ValueError(f"x must have shape (B, T, {self.input_size}) or ({M}, B, T, {self.input_size}), "
                             f"got {tuple(x.shape)}")
        x = x.to(self.weight_ih.dtype)
        B, T = x.shape[1], x.shape[2]
        if state is None:
            h = c = x.new_zeros(M, B, H)
        else:
            h, c = state
            if tuple(h.shape) != (M, B, H) or tuple(c.shape) != (M, B, H):
                raise ValueError(f"state must be (h, c), each of shape ({M}, {B}, {H}), got "
                                 f"{tuple(h.shape)} and {tuple(c.shape)}")
        # the input part of every gate for every step at once: (M, B, T, 4H)
        a_x = torch.einsum("mbti,mgi->mbtg", x, self.weight_ih) + (self.bias_ih + self.bias_hh)[:, None, None]
        peep = any(f["peepholes"] for f in self.flags)
        if peep:
            w_ci, w_cf, w_co = (self.peephole[:, j, None, :] * self.peepholes for j in range(3))  # (M, 1, H)
        one = torch.ones((), dtype=x.dtype)
        outputs = []
        for t in range(T):
            a = a_x[:, :, t] + torch.einsum("mbh,mgh->mbg", h, self.weight_hh)  # (M, B, 4H)
            a_i, a_f, a_g, a_o = a.split(H, dim=-1)
            if peep:
                a_i, a_f = a_i + w_ci * c, a_f + w_cf * c
            # lerp(start, end, w) = start + w (end - start): with a 0/1 flag w, the flag picks start or end
            f = torch.lerp(one.expand_as(a_f), torch.sigmoid(a_f), self.forget_gate)  # f_t, or 1
            i = torch.lerp(torch.sigmoid(a_i), 1 - f, self.coupled)  # i_t, or 1 - f_t (coupled)
            i = torch.lerp(one.expand_as(i), i, self.input_gate)  # or 1
            g = torch.lerp(a_g, torch.tanh(a_g), self.input_activation)  # tanh(a_g), or a_g
            c = f * c + i * g
            if peep:
                a_o = a_o + w_co * c
            o = torch.lerp(one.expand_as(a_o), torch.sigmoid(a_o), self.output_gate)  # o_t, or 1
            h = o * torch.lerp(c, torch.tanh(c), self.output_activation)  # o_t tanh(c_t), or o_t c_t
            outputs.append(h)
        return torch.stack(outputs, dim=2), (h, c)  # (M, B, T, H)


class VariantRegressor(nn.Module):
    """``LSTMVariants`` and one linear read-out per member, at every step: x (B, T, I) -> (M, B, T, O).

    Args as ``LSTMVariants``, plus ``output_size`` O. The read-out of member m is drawn with seed ``seeds[m]``
    too, uniformly from [-1/√H, 1/√H] like ``nn.Linear``. Introduced in 05_lstm.ipynb.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, variants, *, seeds=None):
        super().__init__()
        self.lstm = LSTMVariants(input_size, hidden_size, variants, seeds=seeds)
        output_size = check_int("output_size", output_size, low=1)
        M, H, k = self.lstm.members, hidden_size, 1.0 / math.sqrt(hidden_size)
        seeds = list(range(M)) if seeds is None else seeds
        weights, biases = [], []
        for seed in seeds:
            generator = torch.Generator().manual_seed(10_000 + seed)
            weights.append((torch.rand(output_size, H, generator=generator) * 2 - 1) * k)
            biases.append((torch.rand(output_size, generator=generator) * 2 - 1) * k)
        self.head_weight = nn.Parameter(torch.stack(weights))  # (M, O, H)
        self.head_bias = nn.Parameter(torch.stack(biases))  # (M, O)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)  # (M, B, T, H)
        return torch.einsum("mbth,moh->mbto", out, self.head_weight) + self.head_bias[:, None, None]
