"""Modern recurrent layers in miniature, built on ``rnn_helpers.linear_rnn``'s scan.

Each layer has two forms that compute the same function:

- the **parallel** form, ``layer(x)``: computes a_t and b_t for every step from the inputs alone, then one
  ``parallel_scan`` (training: all steps at once);
- the **recurrent** form, ``layer.step(x_t, state)``: one token in, one state out, the state of a fixed
  size (inference: streaming, constant memory per token).

Layers (x: (B, T, d_in) throughout):

- ``MinGRU``: Feng, Tung, Ahmed, Bengio & Hajimirsadeghi (2024), "Were RNNs all we needed?", the minGRU.
- ``LRU``: Orvieto, Smith, Gu, Fernando, Gulcehre, Pascanu & De (2023), "Resurrecting recurrent neural
  networks for long sequences": a complex diagonal linear recurrence with a stable exponential
  parameterisation and a normalisation γ.
- ``SelectiveSSM``: a selective state-space layer in the spirit of Mamba's S6 (Gu & Dao 2023, "Mamba:
  linear-time sequence modeling with selective state spaces", Algorithm 2): step Δ_t, input matrix B_t and
  output matrix C_t computed from x_t. No hardware-aware kernel: just the scan.

And the small models of chapter 12's experiments: ``SequenceMixerLM`` (token ids -> logits at every
position) with a choice of mixer ("gru", "mingru", "selective", "attention"), and ``mqar``, the
multi-query associative recall task of Arora et al. (2023, "Zoology").

Introduced in 12_modern_recurrences.ipynb.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from rnn_helpers._checks import check_choice, check_float, check_int, check_seed, describe
from rnn_helpers.linear_rnn import parallel_scan, sequential_scan

__all__ = [
    "MinGRU", "LRU", "SelectiveSSM", "MambaBlock", "SequenceMixerLM", "MIXERS", "mqar", "mqar_accuracy",
    "state_numbers", "matched_width", "load_trained",
]


def _check_x(x, d_in: int) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor of shape (B, T, {d_in}), got {describe(x)}")
    if x.ndim != 3 or x.shape[2] != d_in:
        raise ValueError(f"x must have shape (B, T, {d_in}), got {tuple(x.shape)}")
    return x


def _check_mode(mode: str):
    check_choice("mode", mode, ["parallel", "sequential"])
    return parallel_scan if mode == "parallel" else sequential_scan


# ------------------------------------------------------------------------------------------------ minGRU
class MinGRU(nn.Module):
    """minGRU (Feng et al. 2024, section 3.1): the GRU with every dependence on h_{t-1} removed from the gates.

        z_t = σ(W_z x_t + b_z)                       update gate, from x_t only       (B, T, H)
        h̃_t = W_h x_t + b_h                          candidate, from x_t only         (B, T, H)
        h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t        = a_t ⊙ h_{t-1} + b_t with a_t = 1 - z_t, b_t = z_t ⊙ h̃_t

    Note the convention: in Feng et al. (as in Chung et al. 2014) z_t weights the **new** candidate; in
    PyTorch's nn.GRU (and chapter 06) z_t weights the **old** state, h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}.
    The two z's are each other's 1 - z. We keep the paper's. (The paper also gives a log-space version with
    a positive candidate g(h̃); this is the plain one.)

    ``forward(x, h0=None, mode="parallel")`` -> h (B, T, H); ``step(x_t, h)`` -> h_t (B, H).
    """

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.input_size = check_int("input_size", input_size, low=1)
        self.hidden_size = check_int("hidden_size", hidden_size, low=1)
        self.linear_z = nn.Linear(input_size, hidden_size)
        self.linear_h = nn.Linear(input_size, hidden_size)

    def coefficients(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """a_t = 1 - z_t and b_t = z_t ⊙ h̃_t for every step: (B, T, H) each (or (B, H) for one step)."""
        z = torch.sigmoid(self.linear_z(x))
        return 1 - z, z * self.linear_h(x)

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None, mode: str = "parallel") -> torch.Tensor:
        scan = _check_mode(mode)
        a, b = self.coefficients(_check_x(x, self.input_size))  # (B, T, H) each
        return scan(a, b, h0)

    def initial_state(self, batch: int, dtype=None) -> torch.Tensor:
        return torch.zeros(batch, self.hidden_size, dtype=dtype or self.linear_z.weight.dtype)

    def step(self, x_t: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """One token: x_t (B, d_in), h = h_{t-1} (B, H) -> h_t (B, H)."""
        a, b = self.coefficients(x_t)
        return a * h + b


# ------------------------------------------------------------------------------------------------ LRU
class LRU(nn.Module):
    """The Linear Recurrent Unit (Orvieto et al. 2023, section 3 and appendix A), one layer:

        λ_j = exp(-exp(ν_j) + i exp(θ_j))            |λ_j| = exp(-exp(ν_j)) < 1 for every real ν_j  (N,) complex
        γ_j = sqrt(1 - |λ_j|²)                       normalisation: keeps the state's size ~ the input's
        h_t = λ ⊙ h_{t-1} + γ ⊙ (B x_t)              (B, T, N) complex; a_t = λ (the same every step)
        y_t = Re(C h_t) + D ⊙ x_t                    (B, T, d)

    The exponential parameterisation is what makes it stable: whatever value gradient descent gives ν, the
    eigenvalue stays inside the unit disc. λ starts uniform on the ring r_min <= |λ| <= r_max with phases in
    [0, max_phase] (the paper's initialisation; r_min = 0.9, r_max = 0.999 for long-range tasks).
    In the paper γ is a trained parameter initialised at sqrt(1 - |λ|²); here too (``gamma_log``).

    ``forward(x, h0=None, mode="parallel")`` -> y (B, T, d); ``step(x_t, h)`` -> (y_t (B, d), h_t (B, N)).
    ``states(x)`` returns the complex states h (B, T, N).
    """

    def __init__(self, d_model: int, state_size: int, *, r_min: float = 0.9, r_max: float = 0.999,
                 max_phase: float = 2 * math.pi, seed: int | None = None):
        super().__init__()
        self.d_model = check_int("d_model", d_model, low=1)
        self.state_size = N = check_int("state_size", state_size, low=1)
        check_float("r_min", r_min, low=0.0, high=1.0, high_open=True)
        check_float("r_max", r_max, low=r_min, high=1.0, high_open=True)
        check_float("max_phase", max_phase, low=0.0)
        g = torch.Generator().manual_seed(check_seed("seed", seed) or 0) if seed is not None else None
        u1, u2 = torch.rand(N, generator=g), torch.rand(N, generator=g)
        # |λ| uniform on the ring: |λ|² = u (r_max² - r_min²) + r_min², ν = log(-log|λ|)
        nu = torch.log(-0.5 * torch.log(u1 * (r_max**2 - r_min**2) + r_min**2))
        theta = torch.log(max_phase * u2 + 1e-8)
        self.nu_log = nn.Parameter(nu)
        self.theta_log = nn.Parameter(theta)
        modulus = torch.exp(-torch.exp(nu))
        self.gamma_log = nn.Parameter(torch.log(torch.sqrt(1 - modulus**2)))
        scale_b, scale_c = 1 / math.sqrt(2 * d_model), 1 / math.sqrt(N)
        self.B_re = nn.Parameter(torch.randn(N, d_model, generator=g) * scale_b)
        self.B_im = nn.Parameter(torch.randn(N, d_model, generator=g) * scale_b)
        self.C_re = nn.Parameter(torch.randn(d_model, N, generator=g) * scale_c)
        self.C_im = nn.Parameter(torch.randn(d_model, N, generator=g) * scale_c)
        self.D = nn.Parameter(torch.randn(d_model, generator=g))

    def eigenvalues(self) -> torch.Tensor:
        """λ (N,) complex: exp(-exp(ν) + i exp(θ))."""
        return torch.exp(torch.complex(-torch.exp(self.nu_log), torch.exp(self.theta_log)))

    def _input(self, x: torch.Tensor) -> torch.Tensor:
        """γ ⊙ (B x_t) for every step: (B, T, d) -> (B, T, N) complex."""
        Bc = torch.complex(self.B_re, self.B_im)  # (N, d)
        return torch.exp(self.gamma_log) * (x.to(Bc.dtype) @ Bc.T)

    def _output(self, h: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        Cc = torch.complex(self.C_re, self.C_im)  # (d, N)
        return (h @ Cc.T).real + self.D * x  # (B, T, d)

    def states(self, x: torch.Tensor, h0: torch.Tensor | None = None, mode: str = "parallel") -> torch.Tensor:
        scan = _check_mode(mode)
        b = self._input(_check_x(x, self.d_model))  # (B, T, N)
        a = self.eigenvalues().expand_as(b)  # (B, T, N): a_t = λ for every t
        return scan(a, b, h0)

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None, mode: str = "parallel") -> torch.Tensor:
        return self._output(self.states(x, h0, mode), x)

    def initial_state(self, batch: int, dtype=None) -> torch.Tensor:
        return torch.zeros(batch, self.state_size, dtype=self.eigenvalues().dtype)

    def step(self, x_t: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One token: x_t (B, d), h (B, N) complex -> (y_t (B, d), h_t (B, N))."""
        h = self.eigenvalues() * h + self._input(x_t)
        return self._output(h, x_t), h


# ------------------------------------------------------------------------------------------------ S6
class SelectiveSSM(nn.Module):
    """A selective state-space layer (after Mamba's S6, Gu & Dao 2023, section 3.2 and Algorithm 2).

    Each of the d channels keeps N states. With A a fixed-shape (d, N) matrix of negative numbers,

        Δ_t = softplus(W_Δ x_t + b_Δ)          step size, per channel, from x_t        (B, T, d)
        B_t = W_B x_t,  C_t = W_C x_t          input and output matrices, from x_t      (B, T, N)
        Ā_t = exp(Δ_t A)                       discretised (zero-order hold)            (B, T, d, N)
        B̄_t x_t = Δ_t B_t x_t                  (the simplified Euler form Mamba uses)   (B, T, d, N)
        h_t = Ā_t ⊙ h_{t-1} + B̄_t x_t          the scan, over d·N independent states
        y_t = C_t · h_t + D ⊙ x_t              (B, T, d)

    "Selective" means Δ, B and C depend on the input: a large Δ_t resets the state towards the current
    input (Ā -> 0), a small Δ_t ignores it and keeps the past (Ā -> 1). S4 and the LRU use the same
    Ā for every token; no choice of what to keep is possible then. A is initialised as in S4D-real /
    Mamba, A_{c,n} = -(n + 1), and Δ's bias so that Δ starts log-uniform in [dt_min, dt_max].

    ``forward(x, h0=None, mode="parallel")`` -> y (B, T, d); ``step(x_t, h)`` -> (y_t (B, d), h (B, d, N)).
    """

    def __init__(self, d_model: int, state_size: int = 8, *, dt_min: float = 1e-3, dt_max: float = 1e-1):
        super().__init__()
        self.d_model = d = check_int("d_model", d_model, low=1)
        self.state_size = N = check_int("state_size", state_size, low=1)
        check_float("dt_min", dt_min, low=0.0, low_open=True)
        check_float("dt_max", dt_max, low=dt_min)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, N + 1, dtype=torch.float32)).repeat(d, 1))  # (d, N)
        self.W_delta = nn.Linear(d, d)
        dt = torch.exp(torch.rand(d) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
        with torch.no_grad():  # softplus(b_Δ) = dt  <=>  b_Δ = dt + log(1 - exp(-dt))
            self.W_delta.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        self.W_B = nn.Linear(d, N, bias=False)
        self.W_C = nn.Linear(d, N, bias=False)
        self.D = nn.Parameter(torch.ones(d))

    def coefficients(self, x: torch.Tensor):
        """(Ā, B̄x, C) for every step: Ā and B̄x (B, T, d, N), C (B, T, N); or without T for one step."""
        delta = nn.functional.softplus(self.W_delta(x))  # (..., d)
        A = -torch.exp(self.A_log)  # (d, N), negative
        A_bar = torch.exp(delta[..., None] * A)  # (..., d, N), in (0, 1)
        Bx = delta[..., None] * self.W_B(x)[..., None, :] * x[..., None]  # (..., d, N)
        return A_bar, Bx, self.W_C(x)

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None, mode: str = "parallel") -> torch.Tensor:
        scan = _check_mode(mode)
        B, T, d = _check_x(x, self.d_model).shape
        A_bar, Bx, C = self.coefficients(x)
        N = self.state_size
        # the scan sees d·N independent scalar recurrences: (B, T, d, N) -> (B, T, d·N)
        h = scan(A_bar.reshape(B, T, d * N), Bx.reshape(B, T, d * N), None if h0 is None else h0.reshape(B, d * N))
        h = h.reshape(B, T, d, N)
        return (h * C[:, :, None, :]).sum(-1) + self.D * x  # y_t = C_t · h_t + D ⊙ x_t   (B, T, d)

    def initial_state(self, batch: int, dtype=None) -> torch.Tensor:
        return torch.zeros(batch, self.d_model, self.state_size, dtype=dtype or self.D.dtype)

    def step(self, x_t: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One token: x_t (B, d), h (B, d, N) -> (y_t (B, d), h_t (B, d, N))."""
        A_bar, Bx, C = self.coefficients(x_t)
        h = A_bar * h + Bx
        return (h * C[:, None, :]).sum(-1) + self.D * x_t, h


class MambaBlock(nn.Module):
    """The Mamba block around the selective layer (Gu & Dao 2023, Figure 3), in miniature:

        u, g = split(W_in x)                    two branches of width E = expand · d       (B, T, E) each
        u = SiLU(causal depthwise conv_k(u))    a short convolution over the last k tokens
        y = SelectiveSSM(u) ⊙ SiLU(g)           the scan, gated
        out = W_out y                           (B, T, d)

    Recurrent form: the state is the SSM's (B, E, N) plus the last k - 1 inputs of the convolution.
    """

    def __init__(self, d_model: int, state_size: int = 8, *, expand: int = 2, conv: int = 4):
        super().__init__()
        self.d_model = check_int("d_model", d_model, low=1)
        E = expand * d_model
        self.conv_size = check_int("conv", conv, low=1)
        self.in_proj = nn.Linear(d_model, 2 * E)
        self.conv = nn.Conv1d(E, E, conv, groups=E, padding=conv - 1)
        self.ssm = SelectiveSSM(E, state_size)
        self.out_proj = nn.Linear(E, d_model)

    def forward(self, x: torch.Tensor, mode: str = "parallel") -> torch.Tensor:
        T = _check_x(x, self.d_model).shape[1]
        u, g = self.in_proj(x).chunk(2, dim=-1)  # (B, T, E) each
        u = self.conv(u.transpose(1, 2))[..., :T].transpose(1, 2)  # causal: keep the first T outputs
        y = self.ssm(nn.functional.silu(u), mode=mode) * nn.functional.silu(g)
        return self.out_proj(y)

    def initial_state(self, batch: int, dtype=None):
        E = self.ssm.d_model
        dtype = dtype or self.out_proj.weight.dtype
        return torch.zeros(batch, E, self.conv_size - 1, dtype=dtype), self.ssm.initial_state(batch, dtype)

    def step(self, x_t: torch.Tensor, state):
        """x_t (B, d); state = (last k-1 conv inputs (B, E, k-1), SSM state (B, E, N)) -> (y_t (B, d), state)."""
        window, h = state
        u, g = self.in_proj(x_t).chunk(2, dim=-1)  # (B, E)
        full = torch.cat([window, u[..., None]], dim=-1)  # (B, E, k): the last k inputs
        u = (full * self.conv.weight[:, 0]).sum(-1) + self.conv.bias
        y, h = self.ssm.step(nn.functional.silu(u), h)
        return self.out_proj(y * nn.functional.silu(g)), (full[..., 1:], h)


def state_numbers(state) -> int:
    """How many numbers a recurrent state holds (a tensor, or a tuple/list of them); complex counts 2."""
    if isinstance(state, torch.Tensor):
        return state.numel() * (2 if state.is_complex() else 1)
    if isinstance(state, (tuple, list)):
        return sum(state_numbers(s) for s in state)
    raise TypeError(f"state must be a tensor or a tuple of tensors, got {describe(state)}")


# ------------------------------------------------------------------------------------------------ models
MIXERS = ("gru", "mingru", "selective", "attention")


class _Mixer(nn.Module):
    """One sequence mixer of width d: (B, T, d) -> (B, T, d), causal."""

    def __init__(self, kind: str, d: int, n_heads: int, state_size: int):
        super().__init__()
        self.kind = kind
        if kind == "gru":
            self.core = nn.GRU(d, d, batch_first=True)
        elif kind == "mingru":
            self.core = MinGRU(d, d)
        elif kind == "selective":
            self.core = MambaBlock(d, state_size, expand=1)
        else:
            self.core = nn.MultiheadAttention(d, n_heads, batch_first=True)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if self.kind == "gru":
            return self.core(z)[0]
        if self.kind == "attention":
            T = z.shape[1]
            mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=z.device), 1)  # True = hidden
            return self.core(z, z, z, attn_mask=mask, need_weights=False)[0]
        return self.core(z)


class SequenceMixerLM(nn.Module):
    """A small language model with a choice of sequence mixer, the same backbone for every choice:

        ids (B, T) -> embedding (+ learned positions, attention only)      (B, T, d)
                      (ids (B, T, k): k tokens per step, their embeddings summed)
        -> n_layers × [ z ← z + mixer(LN(z));  z ← z + MLP(LN(z)) ]       pre-norm residual blocks
        -> LN -> linear                                                      logits (B, T, vocab)

    ``mixer``: "gru" (torch's nn.GRU), "mingru" (``MinGRU``), "selective" (``MambaBlock`` with
    expand = 1) or "attention" (causal multi-head self-attention, as in chapter 08's TransformerBlock).
    The MLP (d -> mlp·d -> d, ReLU) is the same in all; ``mlp=0`` leaves it out.
    Introduced in 12_modern_recurrences.ipynb.
    """

    def __init__(self, vocab_size: int, d_model: int, mixer: str, *, n_layers: int = 2, n_heads: int = 2,
                 state_size: int = 8, mlp: int = 2, max_len: int = 512):
        super().__init__()
        self.vocab_size = check_int("vocab_size", vocab_size, low=2)
        check_int("d_model", d_model, low=1)
        self.mixer = check_choice("mixer", mixer, MIXERS)
        check_int("n_layers", n_layers, low=1)
        check_int("mlp", mlp, low=0)
        self.max_len = check_int("max_len", max_len, low=1)
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(0.02 * torch.randn(max_len, d_model)) if mixer == "attention" else None
        self.norms1 = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(n_layers)])
        self.mixers = nn.ModuleList([_Mixer(mixer, d_model, n_heads, state_size) for _ in range(n_layers)])
        self.norms2 = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(n_layers)] if mlp else [])
        self.mlps = nn.ModuleList(
            [nn.Sequential(nn.Linear(d_model, mlp * d_model), nn.ReLU(), nn.Linear(mlp * d_model, d_model))
             for _ in range(n_layers)] if mlp else [])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if not isinstance(ids, torch.Tensor):
            raise TypeError(f"ids must be a torch.Tensor of token ids, got {describe(ids)}")
        if ids.ndim not in (2, 3) or ids.dtype != torch.int64:
            raise ValueError(f"ids must be an int64 tensor of shape (batch, time) or (batch, time, k), got "
                             f"{ids.dtype} {tuple(ids.shape)}")
        if self.pos is not None and ids.shape[1] > self.max_len:
            raise ValueError(f"the sequence has {ids.shape[1]} tokens, more than max_len={self.max_len}")
        z = self.embed(ids)  # (B, T, d), or (B, T, k, d) for k tokens per step:
        if ids.ndim == 3:
            z = z.sum(2)  # the step's embedding is the sum of its tokens' (B, T, d)
        if self.pos is not None:
            z = z + self.pos[: ids.shape[1]]
        for i, mix in enumerate(self.mixers):
            z = z + mix(self.norms1[i](z))
            if self.mlps:
                z = z + self.mlps[i](self.norms2[i](z))
        return self.head(self.ln_f(z))  # (B, T, V)


# ------------------------------------------------------------------------------------------------ MQAR
def mqar(n: int, n_pairs: int, *, vocab_size: int = 64, layout: str = "paired", seed: int | None = None):
    """Multi-query associative recall (Arora et al. 2023, "Zoology", section 3.1), in miniature.

    A sequence shows ``n_pairs`` key-value pairs, then asks for every key once more, in a random order; at
    each query position the model must output the value that came with that key. Keys come from the first
    half of the vocabulary (tokens 1 .. V/2 - 1), values from the second half, both without repetition within
    a sequence, as in Zoology's generator. Token 0 means "nothing".

    ``layout="tokens"`` (Zoology's): one token per step, k_1 v_1 k_2 v_2 ... then a query region of
    2·n_pairs tokens with the keys at even offsets and random tokens at odd ones. ``ids`` (n, 4·n_pairs).
    A model must first attach each value to the key before it, then look it up: two layers at least.
    ``layout="paired"`` (ours, as in chapter 08's associative recall): each step holds two tokens, a key
    and its value together, then each query step holds the key and 0. ``ids`` (n, 2·n_pairs, 2); one layer
    can do the look-up. The memory problem (store n_pairs associations, answer any of them) is the same.

    Differences from the paper's setting: a small vocabulary (64 instead of 8,192), and queries right after
    the pairs instead of at power-law distances in a longer sequence.

    Returns ``ids`` int64 and ``targets`` int64 (n, T): the value at query positions, -100 elsewhere
    (ignored by ``cross_entropy``). ``seed`` makes the batch repeatable.
    """
    n = check_int("n", n, low=1)
    vocab_size = check_int("vocab_size", vocab_size, low=8)
    check_choice("layout", layout, ["paired", "tokens"])
    n_keys = vocab_size // 2 - 1
    n_pairs = check_int("n_pairs", n_pairs, low=1, high=n_keys)
    rng = np.random.default_rng(check_seed("seed", seed))
    K = n_pairs
    rows = np.arange(n)[:, None]
    keys = 1 + np.argsort(rng.random((n, n_keys)), axis=1)[:, :K]  # (n, K) distinct keys in 1 .. V/2-1
    values = vocab_size // 2 + np.argsort(rng.random((n, vocab_size - vocab_size // 2)), axis=1)[:, :K]
    order = np.argsort(rng.random((n, K)), axis=1)  # (n, K) which pair each query asks for
    if layout == "tokens":
        ids = rng.integers(0, vocab_size, size=(n, 4 * K))  # random filler, overwritten below
        ids[:, 0 : 2 * K : 2], ids[:, 1 : 2 * K : 2] = keys, values
        ids[:, 2 * K :: 2] = keys[rows, order]  # the queries
        targets = np.full((n, 4 * K), -100)
        targets[:, 2 * K :: 2] = values[rows, order]
    else:
        ids = np.zeros((n, 2 * K, 2), dtype=np.int64)
        ids[:, :K, 0], ids[:, :K, 1] = keys, values  # a pair per step
        ids[:, K:, 0] = keys[rows, order]  # a query per step, second slot 0
        targets = np.full((n, 2 * K), -100)
        targets[:, K:] = values[rows, order]
    return torch.from_numpy(ids.astype(np.int64)), torch.from_numpy(targets.astype(np.int64))


def mqar_accuracy(model: nn.Module, ids: torch.Tensor, targets: torch.Tensor) -> float:
    """Share of query positions (targets != -100) where the model's arg-max logit is the right value."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        pred = model(ids).argmax(-1)  # (n, T)
    model.train(was_training)
    asked = targets != -100
    return (pred[asked] == targets[asked]).float().mean().item()


def matched_width(mixer: str, budget: int, vocab_size: int, **kwargs) -> int:
    """The width d whose ``SequenceMixerLM(vocab_size, d, mixer, **kwargs)`` has the parameter count closest
    to ``budget``: how the models of chapter 12 are matched in size. Introduced in 12_modern_recurrences.ipynb."""
    check_choice("mixer", mixer, MIXERS)
    budget = check_int("budget", budget, low=1)
    step = kwargs.get("n_heads", 2) if mixer == "attention" else 1  # attention: d divisible by the heads
    best, best_gap = step, None
    for d in range(step, 513, step):
        count = sum(p.numel() for p in SequenceMixerLM(vocab_size, d, mixer, **kwargs).parameters())
        gap = abs(count - budget)
        if best_gap is None or gap < best_gap:
            best, best_gap = d, gap
        if count > budget:
            break
    return best


def load_trained(path=None) -> dict:
    """The models trained by tools/train_ch12.py, rebuilt: ``data/ch12_models.pt`` unless ``path`` is given.

    The shipped file is checked (size and SHA-256) before anything is loaded; a missing or damaged one stops
    with a ``datasets.DataFileError`` that says how to restore it. Loads with
    ``torch.load(..., weights_only=True)`` (tensors, numbers, strings and containers only, never pickled code).
    Returns the file's dictionary in which every ``state_dict`` entry is replaced by a
    ``"model"``: a ``SequenceMixerLM`` in eval mode with those weights. Keys: ``"mqar"`` ({"mixer/K/seed":
    run}), ``"lm"`` ({mixer: run}), and the configurations (``"mqar_config"``, ``"lm_config"``, ``"layer"``,
    ``"recipe"``). Each run also holds its ``"history"``, a list of (step, evaluation) pairs.
    Introduced in 12_modern_recurrences.ipynb.
    """
    import io

    from rnn_helpers.datasets import verify_data_file

    if path is None:  # the shipped file: its size and SHA-256 are checked first (datasets.DATA_FILES)
        result = torch.load(io.BytesIO(verify_data_file("ch12_models.pt")), weights_only=True)
    else:
        result = torch.load(path, weights_only=True)
    layer = result["layer"]
    for group, vocab in (("mqar", result["mqar_config"]["vocab_size"]), ("lm", None)):
        for run in result[group].values():
            model = SequenceMixerLM(vocab or run["vocab_size"], run["d_model"], run["mixer"], **layer)
            model.load_state_dict(run.pop("state_dict"))
            run["model"] = model.eval()
    return result
