"""A small transformer for the same tasks as the recurrent models (08)."""

from __future__ import annotations

import torch
from torch import nn

from rnn_helpers._checks import check_choice, check_int, describe


class TransformerBlock(nn.Module):
    """One pre-norm transformer block, (B, T, d) -> (B, T, d):

        z ← z + MHA(LN(z))        every position mixes in the positions it may attend to
        z ← z + MLP(LN(z))        then transforms itself, position by position (MLP: d -> d_ff -> d, ReLU)

    Vaswani et al. (2017) put each LayerNorm after the residual sum ("post-norm"); putting it before
    ("pre-norm") trains more reliably in small models without a learning-rate warm-up.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int):
        super().__init__()
        check_int("d_model", d_model, low=1)
        check_int("n_heads", n_heads, low=1)
        check_int("d_ff", d_ff, low=1)
        if d_model % n_heads:
            raise ValueError(f"d_model must be divisible by n_heads, got d_model={d_model} and n_heads={n_heads}")
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))

    def forward(self, z: torch.Tensor, mask: torch.Tensor | None = None, need_weights: bool = False):
        """z (B, T, d), mask (T, T) boolean (True = may not attend) -> (z (B, T, d), A (B, h, T, T) or None)."""
        a = self.ln1(z)
        y, A = self.attn(a, a, a, attn_mask=mask, need_weights=need_weights, average_attn_weights=False)
        z = z + y
        return z + self.mlp(self.ln2(z)), A

    def forward_cached(self, z: torch.Tensor, past, mask: torch.Tensor):
        """The same block for m new positions whose keys and values join those of earlier positions.

        z (B, m, d); ``past`` is ``None`` or the (K, V) of the c earlier positions, each (B, h, c, d_k);
        mask (m, c + m) boolean. Returns z (B, m, d) and the new (K, V), each (B, h, c + m, d_k).
        """
        B, m, d = z.shape
        h = self.n_heads
        a = self.ln1(z)
        # [q, k, v] = a W_inᵀ + b_in: the same weights nn.MultiheadAttention uses       (B, m, 3d)
        q, k, v = nn.functional.linear(a, self.attn.in_proj_weight, self.attn.in_proj_bias).chunk(3, dim=-1)
        q, k, v = (t.reshape(B, m, h, d // h).transpose(1, 2) for t in (q, k, v))  # (B, h, m, d_k) each
        if past is not None:
            k = torch.cat([past[0], k], dim=2)  # (B, h, c + m, d_k)
            v = torch.cat([past[1], v], dim=2)
        # A = softmax(q Kᵀ / √d_k + M)         (B, h, m, d_k) x (B, h, d_k, c + m) -> (B, h, m, c + m)
        scores = (q @ k.transpose(-1, -2)) / (d // h) ** 0.5
        A = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
        o = (A @ v).transpose(1, 2).reshape(B, m, d)  # (B, h, m, d_k) -> (B, m, d)
        z = z + self.attn.out_proj(o)
        return z + self.mlp(self.ln2(z)), (k, v)


class TinyTransformer(nn.Module):
    """A small transformer encoder for the same tasks as ``SequenceModel``:

        x (B, T, input_size) -> z = x W_eᵀ + b_e + P[:T]     (B, T, d): a linear embedding plus learned positions
        -> n_layers × TransformerBlock                       (B, T, d)
        -> LayerNorm -> linear read-out                      (B, output_size) or (B, T, output_size)

    ``readout="last"`` reads the last position only (like ``SequenceModel``); ``"all"`` gives one output per
    position. ``causal=True`` hides later positions from each position (the causal mask), so output t depends
    on x[:, :t+1] only; ``positions=False`` drops the learned position table P (max_len × d), and then the
    model cannot tell where in the sequence an input was. ``forward(x, return_attention=True)`` also returns
    the attention weights, a list with one (B, h, T, T) tensor per layer.

    Streaming (causal models only): ``stream(x_new, cache)`` runs the new steps x_new (B, m, input_size)
    against a key-value cache of the earlier ones and returns ``(out (B, m, output_size), cache)``, where
    ``cache`` holds one (K, V) pair per layer, each (B, h, c, d_k) after c steps. Each new token then costs
    one attention over c cached keys instead of recomputing the whole prefix.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """

    def __init__(
        self,
        input_size: int,
        d_model: int,
        n_heads: int,
        output_size: int,
        *,
        n_layers: int = 1,
        d_ff: int | None = None,
        max_len: int = 512,
        causal: bool = False,
        readout: str = "last",
        positions: bool = True,
    ):
        super().__init__()
        self.input_size = check_int("input_size", input_size, low=1)
        check_int("d_model", d_model, low=1)
        check_int("output_size", output_size, low=1)
        check_int("n_layers", n_layers, low=1)
        self.max_len = check_int("max_len", max_len, low=1)
        self.readout = check_choice("readout", readout, ["last", "all"])
        for name, flag in (("causal", causal), ("positions", positions)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {describe(flag)}")
        self.causal = causal
        self.embed = nn.Linear(input_size, d_model)
        self.pos = nn.Parameter(0.02 * torch.randn(max_len, d_model)) if positions else None
        d_ff = 4 * d_model if d_ff is None else d_ff
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff) for _ in range(n_layers)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, output_size)

    def _check_x(self, x, start: int = 0) -> None:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch.Tensor, got {describe(x)}")
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (batch, time, {self.input_size}), got {tuple(x.shape)}")
        if self.pos is not None and start + x.shape[1] > self.max_len:
            raise ValueError(
                f"the sequence reaches position {start + x.shape[1]}, beyond max_len={self.max_len} learned "
                "positions; build the model with a larger max_len"
            )

    def _embed(self, x: torch.Tensor, start: int) -> torch.Tensor:
        z = self.embed(x)  # (B, T, d)
        if self.pos is not None:
            z = z + self.pos[start : start + x.shape[1]]  # + P[t], (T, d) broadcast over the batch
        return z

    def forward(self, x: torch.Tensor, return_attention: bool = False):
        self._check_x(x)
        T = x.shape[1]
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1) if self.causal else None
        z = self._embed(x, 0)  # (B, T, d)
        weights = []
        for block in self.blocks:
            z, A = block(z, mask, need_weights=return_attention)
            weights.append(A)
        z = self.ln_f(z)
        out = self.head(z[:, -1] if self.readout == "last" else z)  # (B, O) or (B, T, O)
        return (out, weights) if return_attention else out

    def stream(self, x: torch.Tensor, cache=None):
        """Causal inference over new steps x (B, m, input_size) given the ``cache`` of earlier steps
        (``None`` to start). Returns ``(out, cache)``: out (B, m, output_size), one prediction per new step,
        equal to ``forward`` with ``readout="all"`` on the whole sequence so far."""
        if not self.causal:
            raise ValueError("stream() needs a causal model (TinyTransformer(..., causal=True)): with a cache, "
                             "earlier positions cannot see later ones")
        c = 0 if cache is None else cache[0][0].shape[2]
        self._check_x(x, start=c)
        if cache is not None and len(cache) != len(self.blocks):
            raise ValueError(f"cache must hold one (K, V) pair per layer ({len(self.blocks)}), got {len(cache)}")
        m = x.shape[1]
        # query i (position c + i) may see keys j <= c + i                       (m, c + m)
        mask = torch.triu(torch.ones(m, c + m, dtype=torch.bool, device=x.device), c + 1)
        z = self._embed(x, c)  # (B, m, d)
        new_cache = []
        for layer, block in enumerate(self.blocks):
            z, kv = block.forward_cached(z, None if cache is None else cache[layer], mask)
            new_cache.append(kv)
        return self.head(self.ln_f(z)), new_cache
