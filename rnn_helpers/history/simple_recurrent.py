"""The simple recurrent networks of Jordan (1986) and Elman (1990), trained online (chapter 02)."""

from __future__ import annotations

import math

import numpy as np

from rnn_helpers._checks import as_float64, check_float, check_int, make_rng
from rnn_helpers.scratch import sigmoid


def _sigmoid_float(a: float) -> float:
    """σ(a) for one Python float: the online training loop runs on floats (see ``train``), where a numpy call
    per number would cost more than the arithmetic. Arrays use ``scratch.sigmoid``."""
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


class _SimpleRecurrentNetwork:
    """Common code of ``ElmanNetwork`` and ``JordanNetwork``: a layer of sigmoid hidden units that sees the
    input x_t and a context c_t, and a layer of sigmoid outputs:

        h_t = σ(W_xh x_t + W_ch c_t + b_h)        (H,)
        y_t = σ(W_hy h_t + b_y)                   (O,)

    The subclasses differ only in what the context holds (``_next_context``).
    """

    context_start = 0.0

    def __init__(self, n_inputs: int, n_hidden: int, n_outputs: int, *, seed: int | None = 0):
        self.n_inputs = check_int("n_inputs", n_inputs, low=1)
        self.n_hidden = check_int("n_hidden", n_hidden, low=1)
        self.n_outputs = check_int("n_outputs", n_outputs, low=1)
        rng = make_rng(seed)
        I, H, O, C = self.n_inputs, self.n_hidden, self.n_outputs, self.context_size
        # weights and biases ~ U(-1, 1): the papers do not give their initial range
        self.params = {
            "W_xh": rng.uniform(-1, 1, (H, I)), "W_ch": rng.uniform(-1, 1, (H, C)), "b_h": rng.uniform(-1, 1, H),
            "W_hy": rng.uniform(-1, 1, (O, H)), "b_y": rng.uniform(-1, 1, O),
        }

    @property
    def context_size(self) -> int:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_inputs={self.n_inputs}, n_hidden={self.n_hidden}, n_outputs={self.n_outputs})"

    def _check_sequences(self, name: str, value, size: int, ndim: int) -> np.ndarray:
        value = as_float64(name, value.detach().cpu().numpy() if hasattr(value, "detach") else value)
        if value.ndim != ndim or value.shape[-1] != size or 0 in value.shape:
            what = "(B, T, {})" if ndim == 3 else "(T, {})"
            raise ValueError(f"{name} must have shape {what.format(size)} with B, T >= 1, got {value.shape}")
        return value

    def forward(self, x, *, targets=None) -> tuple[np.ndarray, np.ndarray]:
        """Run over x (B, T, I) (numpy or torch); return outputs y (B, T, O) and hidden states h (B, T, H).

        ``targets`` (B, T, O), optional: for the Jordan network, feed back the targets instead of the outputs
        (teacher forcing); the Elman network ignores them.
        """
        x = self._check_sequences("x", x, self.n_inputs, 3)
        if targets is not None:
            targets = self._check_sequences("targets", targets, self.n_outputs, 3)
            if targets.shape[:2] != x.shape[:2]:
                raise ValueError(f"targets must have shape {x.shape[:2] + (self.n_outputs,)}, got {targets.shape}")
        p = self.params
        B, T, _ = x.shape
        c = np.full((B, self.context_size), self.context_start)
        ys, hs = np.empty((B, T, self.n_outputs)), np.empty((B, T, self.n_hidden))
        for t in range(T):
            # h_t = σ(W_xh x_t + W_ch c_t + b_h) ;  y_t = σ(W_hy h_t + b_y)
            h = sigmoid(x[:, t] @ p["W_xh"].T + c @ p["W_ch"].T + p["b_h"])  # (B, H)
            y = sigmoid(h @ p["W_hy"].T + p["b_y"])  # (B, O)
            ys[:, t], hs[:, t] = y, h
            c = self._next_context(c, h, y if targets is None else targets[:, t])
        return ys, hs

    def step_gradients(self, x_t, c_t, target_t) -> dict[str, np.ndarray]:
        """The gradients used for one online update: of E_t = ½ ‖y_t − target_t‖² with the context c_t held
        fixed, as if it were one more input (Elman's copy-back: the error goes back one step only).

        x_t (I,), c_t (C,), target_t (O,); returns arrays shaped like ``params``.
        """
        p = self.params
        x_t, c_t, target_t = (np.asarray(v, dtype=np.float64) for v in (x_t, c_t, target_t))
        h = sigmoid(p["W_xh"] @ x_t + p["W_ch"] @ c_t + p["b_h"])
        y = sigmoid(p["W_hy"] @ h + p["b_y"])
        d_y = (y - target_t) * y * (1 - y)  # δ_o = ∂E/∂(pre-activation of y)
        d_h = (p["W_hy"].T @ d_y) * h * (1 - h)  # δ_h
        return {"W_xh": np.outer(d_h, x_t), "W_ch": np.outer(d_h, c_t), "b_h": d_h,
                "W_hy": np.outer(d_y, h), "b_y": d_y}

    def train(self, x, y, *, passes: int, lr: float) -> list[float]:
        """Online training on one stream, as in 1986–1990: x (T, I), y (T, O) (numpy or torch).

        ``passes`` times through the stream, from the start context each time; after every step t the weights
        move by −lr × ``step_gradients`` (the copy-back rule: the context is not differentiated). Returns the
        mean squared error ½‖y_t − target_t‖² of every pass, averaged over the T steps.

        The loop runs on plain Python floats: for a network of a few units, numpy's per-call overhead would
        make it several times slower.
        """
        X = self._check_sequences("x", x, self.n_inputs, 2).tolist()
        Y = self._check_sequences("y", y, self.n_outputs, 2)
        if Y.shape[0] != len(X):
            raise ValueError(f"y must have shape ({len(X)}, {self.n_outputs}), got {Y.shape}")
        Y = Y.tolist()
        passes = check_int("passes", passes, low=1)
        lr = check_float("lr", lr, low=0.0, low_open=True)
        P = {name: value.tolist() for name, value in self.params.items()}
        W_xh, W_ch, b_h, W_hy, b_y = P["W_xh"], P["W_ch"], P["b_h"], P["W_hy"], P["b_y"]
        units, outs = range(self.n_hidden), range(self.n_outputs)
        inputs, contexts = range(self.n_inputs), range(self.context_size)
        sig, exp, history = _sigmoid_float, math.exp, []
        for _ in range(passes):
            c = [self.context_start] * self.context_size
            total = 0.0
            for x_t, t_t in zip(X, Y, strict=True):
                # forward: h = σ(W_xh x + W_ch c + b_h)
                h = []
                for k in units:
                    a, row_x, row_c = b_h[k], W_xh[k], W_ch[k]
                    for j in inputs:
                        a += row_x[j] * x_t[j]
                    for j in contexts:
                        a += row_c[j] * c[j]
                    h.append(1.0 / (1.0 + exp(-a)) if a >= 0 else sig(a))
                # y = σ(W_hy h + b_y);  δ_o = (y − t) y (1 − y)
                d_y = []
                for o in outs:
                    a, row = b_y[o], W_hy[o]
                    for k in units:
                        a += row[k] * h[k]
                    y_o = sig(a)
                    total += 0.5 * (y_o - t_t[o]) ** 2
                    d_y.append((y_o - t_t[o]) * y_o * (1.0 - y_o))
                # δ_h = (W_hyᵀ δ_o) h (1 − h), with W_hy before its update
                d_h = []
                for k in units:
                    g = 0.0
                    for o in outs:
                        g += W_hy[o][k] * d_y[o]
                    d_h.append(g * h[k] * (1.0 - h[k]))
                # update: W ← W − lr ∂E_t/∂W (the context c counts as an input)
                for o in outs:
                    row, step = W_hy[o], lr * d_y[o]
                    for k in units:
                        row[k] -= step * h[k]
                    b_y[o] -= step
                for k in units:
                    row_x, row_c, step = W_xh[k], W_ch[k], lr * d_h[k]
                    for j in inputs:
                        row_x[j] -= step * x_t[j]
                    for j in contexts:
                        row_c[j] -= step * c[j]
                    b_h[k] -= step
                c = self._next_context_list(c, h, t_t)
            history.append(total / len(X))
        self.params = {name: np.array(value) for name, value in P.items()}
        return history


class ElmanNetwork(_SimpleRecurrentNetwork):
    """Elman's simple recurrent network: the hidden layer's last state is copied back as context.

        h_t = σ(W_xh x_t + W_ch c_t + b_h),   y_t = σ(W_hy h_t + b_y),   c_{t+1} = h_t,   c_1 = 0.5

    "The context units are initially set to 0.5", and the copy from hidden to context units is fixed at 1.0
    and not trained; training is plain backpropagation at every step, the context treated as input.
    For the temporal XOR, Elman used 1 input, 2 hidden units, 1 output and 2 context units and trained for 600
    passes through a 3,000-bit stream (section "Exclusive-or" and Fig. 3).

    Source: J. L. Elman (1990), "Finding structure in time", Cognitive Science 14(2), 179–211.

    Args: n_inputs I, n_hidden H (= the number of context units), n_outputs O, seed for the initial weights.
    Attributes: ``params`` dict with ``W_xh`` (H, I), ``W_ch`` (H, H), ``b_h`` (H,), ``W_hy`` (O, H),
    ``b_y`` (O,).

    Introduced in 02_history.ipynb.
    """

    context_start = 0.5

    @property
    def context_size(self) -> int:
        return self.n_hidden

    def _next_context(self, c, h, y_or_target):
        return h  # c_{t+1} = h_t

    def _next_context_list(self, c, h, target):
        return h


class JordanNetwork(_SimpleRecurrentNetwork):
    """Jordan's network: the outputs are fed back into "state" units that also keep a decaying trace of
    themselves.

        h_t = σ(W_xh x_t + W_ch s_t + b_h),   y_t = σ(W_hy h_t + b_y),   s_{t+1} = μ s_t + y_t,   s_1 = 0

    Jordan trained with the targets fed back in place of the outputs (teacher forcing), which ``train`` does
    (``teacher_forcing=True``); ``forward`` feeds back its own outputs unless given ``targets``.

    Source: M. I. Jordan (1986), "Serial order: a parallel distributed processing approach", ICS Report 8604,
    Institute for Cognitive Science, University of California, San Diego.

    Args: n_inputs I (Jordan's "plan" units), n_hidden H, n_outputs O (= the number of state units),
    mu: μ in [0, 1), the state units' self-connection, seed.

    Introduced in 02_history.ipynb.
    """

    def __init__(self, n_inputs: int, n_hidden: int, n_outputs: int, *, mu: float = 0.5, seed: int | None = 0):
        self.mu = check_float("mu", mu, low=0.0, high=1.0, high_open=True)
        super().__init__(n_inputs, n_hidden, n_outputs, seed=seed)

    @property
    def context_size(self) -> int:
        return self.n_outputs

    def _next_context(self, s, h, y_or_target):
        return self.mu * s + y_or_target  # s_{t+1} = μ s_t + y_t

    def _next_context_list(self, s, h, target):
        return [self.mu * s_k + t_k for s_k, t_k in zip(s, target, strict=True)]  # teacher forcing


def error_by_phase(outputs, targets, period: int = 3) -> np.ndarray:
    """Root-mean-square error |y_t − target_t| grouped by the phase t mod ``period``; returns (period,).

    outputs and targets: arrays of the same shape whose second axis is time, (B, T) or (B, T, O), or (T,).
    For ``tasks.temporal_xor`` with period 3, phase 1 is the predictable bit (the XOR of the two before it).
    """
    outputs = as_float64("outputs", np.asarray(outputs.detach() if hasattr(outputs, "detach") else outputs))
    targets = as_float64("targets", np.asarray(targets.detach() if hasattr(targets, "detach") else targets))
    if outputs.shape != targets.shape or outputs.ndim not in (1, 2, 3):
        raise ValueError(f"outputs and targets must have the same shape (T,), (B, T) or (B, T, O), "
                         f"got {outputs.shape} and {targets.shape}")
    period = check_int("period", period, low=1)
    sq = (outputs - targets) ** 2
    if sq.ndim == 1:
        sq = sq[None]
    T = sq.shape[1]
    if T < period:
        raise ValueError(f"need at least period = {period} time steps, got {T}")
    phase = np.arange(T) % period
    return np.array([math.sqrt(sq[:, phase == k].mean()) for k in range(period)])
