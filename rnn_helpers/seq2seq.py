"""Sequence to sequence: an RNN encoder-decoder, with and without attention, and how to decode from it.

Symbols, the same here and in 10_seq2seq_attention.ipynb: the source x_1 ... x_{T_x} (characters), the
target y_1 ... y_{T_y}; the encoder's states h_j (its *annotations*), the decoder's state s_t, the context c_t
and the attention weights α_{tj}. B is the batch, H the hidden size, V the target vocabulary.

The model (``Seq2Seq``), built from the course's parts (an embedding, ``nn.GRU`` as in chapter 06, a linear
read-out)::

    h_1 ... h_{T_x} = GRU_enc(embed(x))                     encoder; s_0 = h_{T_x}, its last state
    s_t = GRU_dec(embed(y_{t-1}), s_{t-1})                  decoder, fed the previous target character
    no attention:    o_t = tanh(W_c s_t)                    everything about x must pass through s_0
    with attention:  α_t = softmax_j(score(s_t, h_j)),  c_t = Σ_j α_{tj} h_j,  o_t = tanh(W_c [s_t; c_t])
    p(y_t | y_<t, x) = softmax(W_o o_t)

``score`` is Bahdanau's additive score v_aᵀ tanh(W_a s_t + U_a h_j) or Luong's dot product s_tᵀ h_j. The
context is computed *after* the decoder's step, as in Luong, Pham & Manning (2015); Bahdanau, Cho & Bengio
(2015) feed c_t into the step instead, which forces a loop over t in training. Here, with teacher forcing,
the whole target is read in one call of the GRU.

Decoding: ``greedy_decode`` and ``beam_search`` (batched, beams as rows). Training: teacher forcing or
scheduled sampling (Bengio et al. 2015) through the course's ``training.train``.

Introduced in 10_seq2seq_attention.ipynb.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from rnn_helpers._checks import check_choice, check_float, check_int, describe
from rnn_helpers.models import eval_mode

__all__ = [
    "BOS",
    "EOS",
    "PAD",
    "UNK",
    "AdditiveAttention",
    "Beam",
    "CharVocab",
    "DotAttention",
    "Seq2Seq",
    "Seq2SeqConfig",
    "Seq2SeqInput",
    "beam_search",
    "exact_match",
    "greedy_decode",
    "inverse_sigmoid_schedule",
    "make_batch",
    "sequence_loss",
    "teacher_forced_accuracy",
    "translate",
]

PAD, BOS, EOS, UNK = 0, 1, 2, 3
_SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")


# ------------------------------------------------------------------------------------------ vocabulary
class CharVocab:
    """Characters <-> integer ids, with four special ids: PAD 0 (padding), BOS 1 (start of the target),
    EOS 2 (end of the target), UNK 3 (a character the vocabulary does not know).

    ``encode(texts)`` returns ``ids`` (B, T) int64, padded with PAD, and ``lengths`` (B,) int64.
    Introduced in 10_seq2seq_attention.ipynb.
    """

    def __init__(self, chars: str):
        if not isinstance(chars, str) or not chars:
            raise TypeError(f"chars must be a non-empty string of characters, got {describe(chars)}")
        if len(set(chars)) != len(chars):
            raise ValueError("chars must not repeat a character")
        self.chars = chars
        self.itos = list(_SPECIALS) + list(chars)
        self.stoi = {c: i + len(_SPECIALS) for i, c in enumerate(chars)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, texts, *, bos: bool = False, eos: bool = False, reverse: bool = False, unknown: str = "unk"):
        """Encode a list of strings. ``bos``/``eos`` add BOS first / EOS last; ``reverse`` reverses each text
        (Sutskever et al.'s trick); ``unknown="unk"`` maps unknown characters to UNK, ``"error"`` raises."""
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
            raise TypeError(f"texts must be a list of strings, got {describe(texts)}")
        if not texts:
            raise ValueError("texts must hold at least one string, got an empty list")
        check_choice("unknown", unknown, ["unk", "error"])
        rows = []
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"every text must be a string, got {describe(text)}")
            if unknown == "error":
                bad = sorted({c for c in text if c not in self.stoi})
                if bad:
                    raise ValueError(f"characters {bad} are not in the vocabulary ({self.chars!r})")
            ids = [self.stoi.get(c, UNK) for c in (text[::-1] if reverse else text)]
            rows.append(([BOS] if bos else []) + ids + ([EOS] if eos else []))
        lengths = [len(r) for r in rows]
        if min(lengths) == 0:
            raise ValueError("every text must hold at least one character")
        out = torch.full((len(rows), max(lengths)), PAD, dtype=torch.int64)
        for i, r in enumerate(rows):
            out[i, : len(r)] = torch.tensor(r, dtype=torch.int64)
        return out, torch.tensor(lengths, dtype=torch.int64)

    def decode(self, ids) -> str:
        """One row of ids -> text, stopping at the first EOS and skipping PAD (the padding after a row's end).
        Any other special id (a decoder that wrote BOS or UNK) reads as one "�", so each id before EOS is one
        character of the text."""
        ids = ids.tolist() if hasattr(ids, "tolist") else list(ids)
        out = []
        for i in ids:
            if i == EOS:
                break
            if i == PAD:
                continue
            token = self.itos[i] if 0 <= i < len(self.itos) else "?"
            out.append(token if len(token) == 1 else "�")
        return "".join(out)

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} ids: 4 special + {self.chars!r})"


class Seq2SeqInput(NamedTuple):
    """What ``Seq2Seq`` reads: ``src`` (B, T_x) ids, ``src_len`` (B,), ``tgt_in`` (B, T_y) = BOS y_1 ...
    y_{T_y - 1} (the target shifted right), and ``sample_prob``, the chance of feeding the model's own
    previous prediction instead of the true character (0: teacher forcing; see ``inverse_sigmoid_schedule``)."""

    src: torch.Tensor
    src_len: torch.Tensor
    tgt_in: torch.Tensor
    sample_prob: float = 0.0


def make_batch(pairs, src_vocab: CharVocab, tgt_vocab: CharVocab, *, reverse: bool = False, sample_prob: float = 0.0):
    """Pairs (objects with ``.source`` and ``.target``, or ``(source, target)`` tuples) -> ``(Seq2SeqInput,
    tgt_out)``, where ``tgt_out`` (B, T_y) = y_1 ... y_{T_y} EOS, padded with PAD: what ``training.train``
    passes to the model and to the loss. ``reverse`` reverses each source (Sutskever et al. 2014).
    Introduced in 10_seq2seq_attention.ipynb.
    """
    if not isinstance(src_vocab, CharVocab) or not isinstance(tgt_vocab, CharVocab):
        raise TypeError("src_vocab and tgt_vocab must be CharVocab objects")
    sources, targets = [], []
    for p in pairs:
        s, t = (p.source, p.target) if hasattr(p, "source") else p
        sources.append(s)
        targets.append(t)
    src, src_len = src_vocab.encode(sources, reverse=reverse)
    tgt, _ = tgt_vocab.encode(targets, bos=True, eos=True, unknown="error")  # BOS y_1 ... y_T EOS
    check_float("sample_prob", sample_prob, low=0.0, high=1.0)
    tgt_in = tgt[:, :-1].clone()
    tgt_in[tgt_in == EOS] = PAD  # the EOS of a shorter row is not an input
    return Seq2SeqInput(src, src_len, tgt_in, float(sample_prob)), tgt[:, 1:].contiguous()


# ------------------------------------------------------------------------------------------ attention
class AdditiveAttention(nn.Module):
    """Bahdanau's additive attention (Bahdanau, Cho & Bengio 2015, appendix A.1.2)::

        e_tj = v_aᵀ tanh(W_a s_t + U_a h_j)       score of annotation j for query t
        α_tj = softmax_j(e_tj)  (masked j: -∞)     weights over the source, each row sums to 1
        c_t  = Σ_j α_tj h_j                        the context

    ``forward(s, h, mask)``: s (B, T_q, d_q) queries, h (B, T_k, d_k) annotations, mask (B, T_k) bool,
    ``True`` at padding. Returns c (B, T_q, d_k) and α (B, T_q, T_k). Parameters W_a (A, d_q), U_a (A, d_k),
    v_a (A,), no biases, as in the paper. Introduced in 10_seq2seq_attention.ipynb.
    """

    def __init__(self, d_query: int, d_key: int, d_attn: int):
        super().__init__()
        check_int("d_query", d_query, low=1)
        check_int("d_key", d_key, low=1)
        check_int("d_attn", d_attn, low=1)
        self.W_a = nn.Linear(d_query, d_attn, bias=False)
        self.U_a = nn.Linear(d_key, d_attn, bias=False)
        self.v_a = nn.Parameter(torch.empty(d_attn).uniform_(-1 / math.sqrt(d_attn), 1 / math.sqrt(d_attn)))

    def scores(self, s: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        # W_a s_t + U_a h_j for every pair (t, j)        (B, T_q, 1, A) + (B, 1, T_k, A) -> (B, T_q, T_k, A)
        z = torch.tanh(self.W_a(s).unsqueeze(2) + self.U_a(h).unsqueeze(1))
        return z @ self.v_a  # e_tj = v_aᵀ tanh(...)      (B, T_q, T_k)

    def forward(self, s, h, mask=None):
        return _attend(self.scores(s, h), h, mask)


class DotAttention(nn.Module):
    """Luong's dot-product attention (Luong, Pham & Manning 2015, eq. 8, "dot"): e_tj = s_tᵀ h_j, then the same
    softmax and context as ``AdditiveAttention``. No parameters; needs d_q = d_k. With the scale 1/√d and
    learned projections of s and h it becomes the scaled dot-product attention of chapter 08 (Vaswani et al.
    2017). Introduced in 10_seq2seq_attention.ipynb.
    """

    def scores(self, s: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return s @ h.transpose(1, 2)  # (B, T_q, d) x (B, d, T_k) -> (B, T_q, T_k)

    def forward(self, s, h, mask=None):
        return _attend(self.scores(s, h), h, mask)


def _attend(e: torch.Tensor, h: torch.Tensor, mask):
    if mask is not None:
        e = e.masked_fill(mask.unsqueeze(1), float("-inf"))  # padding gets weight exactly 0
    alpha = torch.softmax(e, dim=-1)  # (B, T_q, T_k)
    return alpha @ h, alpha  # c_t = Σ_j α_tj h_j        (B, T_q, T_k) x (B, T_k, d_k) -> (B, T_q, d_k)


# ------------------------------------------------------------------------------------------ the model
@dataclass
class Seq2SeqConfig:
    """Hyper-parameters of ``Seq2Seq``."""

    src_vocab: int  # source ids (characters + 4 specials)
    tgt_vocab: int  # target ids
    embed: int = 32  # width of the character embeddings: wider is more expressive, slower
    hidden: int = 128  # H, the GRU state: the whole source must fit in it when there is no attention
    attention: str | None = "additive"  # None, "additive" (Bahdanau) or "dot" (Luong)
    attn: int = 64  # A, the width of the additive score's hidden layer

    def __post_init__(self):
        check_int("src_vocab", self.src_vocab, low=5)
        check_int("tgt_vocab", self.tgt_vocab, low=5)
        check_int("embed", self.embed, low=1)
        check_int("hidden", self.hidden, low=1)
        check_choice("attention", self.attention, [None, "additive", "dot"])
        check_int("attn", self.attn, low=1)


class Memory(NamedTuple):
    """What the decoder reads from the encoder: annotations h (B, T_x, H) and the padding mask (B, T_x)."""

    h: torch.Tensor
    mask: torch.Tensor


class Seq2Seq(nn.Module):
    """A GRU encoder-decoder, with or without attention (see the module docstring for the equations).

    ``model(Seq2SeqInput)`` returns the logits (B, T_y, V) of every target position, teacher-forced
    (``sample_prob=0``) or with scheduled sampling. ``encode`` and ``step`` are the two halves used by the
    decoders. Introduced in 10_seq2seq_attention.ipynb.
    """

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        if not isinstance(config, Seq2SeqConfig):
            raise TypeError(f"config must be a Seq2SeqConfig, got {describe(config)}")
        self.config = c = config
        self.src_embed = nn.Embedding(c.src_vocab, c.embed, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(c.tgt_vocab, c.embed, padding_idx=PAD)
        self.encoder = nn.GRU(c.embed, c.hidden, batch_first=True)
        self.decoder = nn.GRU(c.embed, c.hidden, batch_first=True)
        if c.attention == "additive":
            self.attention = AdditiveAttention(c.hidden, c.hidden, c.attn)
        elif c.attention == "dot":
            self.attention = DotAttention()
        else:
            self.attention = None
        self.combine = nn.Linear(c.hidden * (2 if self.attention is not None else 1), c.hidden)  # W_c
        self.out = nn.Linear(c.hidden, c.tgt_vocab)  # W_o

    # ------------------------------------------------------------------------------------ encoder
    def encode(self, src: torch.Tensor, src_len: torch.Tensor) -> tuple[Memory, torch.Tensor]:
        """src (B, T_x) ids, src_len (B,) -> Memory(h (B, T_x, H), mask (B, T_x)) and s_0 = h_{T_x} (1, B, H)."""
        _check_ids("src", src, self.config.src_vocab)
        if not isinstance(src_len, torch.Tensor) or src_len.shape != src.shape[:1]:
            raise ValueError(f"src_len must be a tensor of shape ({src.shape[0]},), got {describe(src_len)}")
        if src_len.min() < 1 or src_len.max() > src.shape[1]:
            raise ValueError(f"src_len must lie in 1 ... {src.shape[1]}, got {src_len.tolist()}")
        # a forward GRU's state at step j depends on x_1 ... x_j only, so the padding after a row's last
        # character changes nothing before it: read the padded batch in one call, take each row's own last state
        h, _ = self.encoder(self.src_embed(src))  # (B, T_x, H)
        h_last = h[torch.arange(src.shape[0]), src_len - 1].unsqueeze(0)  # s_0 = h_{T_x} of each row (1, B, H)
        mask = torch.arange(src.shape[1]).unsqueeze(0) >= src_len.unsqueeze(1)  # (B, T_x) True at padding
        return Memory(h, mask), h_last

    # ------------------------------------------------------------------------------------ decoder
    def readout(self, s: torch.Tensor, memory: Memory) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Decoder states s (B, T, H) -> logits (B, T, V) and the attention weights (B, T, T_x) or None."""
        if self.attention is None:
            return self.out(torch.tanh(self.combine(s))), None  # o_t = tanh(W_c s_t)
        context, alpha = self.attention(s, memory.h, memory.mask)  # c_t (B, T, H), α (B, T, T_x)
        o = torch.tanh(self.combine(torch.cat([s, context], dim=-1)))  # o_t = tanh(W_c [s_t; c_t])
        return self.out(o), alpha

    def step(self, y_prev: torch.Tensor, state: torch.Tensor, memory: Memory):
        """One decoder step: y_{t-1} (B,) ids and s_{t-1} (1, B, H) -> logits (B, V), s_t (1, B, H), α_t (B, T_x)
        (None without attention)."""
        s, state = self.decoder(self.tgt_embed(y_prev).unsqueeze(1), state)  # s_t (B, 1, H)
        logits, alpha = self.readout(s, memory)
        return logits[:, 0], state, (alpha[:, 0] if alpha is not None else None)

    def forward(self, inputs: Seq2SeqInput) -> torch.Tensor:
        """Logits (B, T_y, V) for every target position.

        ``sample_prob == 0`` (teacher forcing): the decoder reads the true previous characters, all steps in
        one GRU call. ``sample_prob > 0`` (scheduled sampling, Bengio et al. 2015): step by step, each row's
        input at step t is, with that probability, the model's own most likely character at step t - 1.
        """
        if not isinstance(inputs, Seq2SeqInput):
            raise TypeError(f"inputs must be a Seq2SeqInput (see make_batch), got {describe(inputs)}")
        memory, s0 = self.encode(inputs.src, inputs.src_len)
        _check_ids("tgt_in", inputs.tgt_in, self.config.tgt_vocab)
        if inputs.sample_prob == 0.0:
            s, _ = self.decoder(self.tgt_embed(inputs.tgt_in), s0)  # (B, T_y, H)
            return self.readout(s, memory)[0]
        state, y_prev, steps = s0, inputs.tgt_in[:, 0], []
        for t in range(inputs.tgt_in.shape[1]):
            if t > 0:
                own = steps[-1].detach().argmax(-1)  # the model's previous guess (B,)
                use_own = torch.rand(own.shape) < inputs.sample_prob
                y_prev = torch.where(use_own & (inputs.tgt_in[:, t] != PAD), own, inputs.tgt_in[:, t])
            logits, state, _ = self.step(y_prev, state, memory)
            steps.append(logits)
        return torch.stack(steps, dim=1)  # (B, T_y, V)


def _check_ids(name: str, ids, vocab: int) -> None:
    if not isinstance(ids, torch.Tensor) or ids.dtype != torch.int64 or ids.ndim != 2:
        raise TypeError(f"{name} must be an int64 tensor of shape (B, T), got {describe(ids)}")
    if ids.numel() and (ids.min() < 0 or ids.max() >= vocab):
        raise ValueError(f"{name} must hold ids in 0 ... {vocab - 1}, got values up to {int(ids.max())}")


def sequence_loss(logits: torch.Tensor, tgt_out: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the real (non-PAD) target positions: logits (B, T, V), tgt_out (B, T).
    Introduced in 10_seq2seq_attention.ipynb."""
    if logits.ndim != 3 or logits.shape[:2] != tgt_out.shape:
        raise ValueError(f"logits must be (B, T, V) and tgt_out (B, T), got {tuple(logits.shape)} and "
                         f"{tuple(tgt_out.shape)}")
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=PAD)


def inverse_sigmoid_schedule(step: int, k: float) -> float:
    """Scheduled sampling's inverse sigmoid decay (Bengio et al. 2015, section 2.4): the chance of feeding the
    *true* previous token is ε_i = k / (k + exp(i / k)) at step i; this returns 1 - ε_i, the chance of
    feeding the model's own. ``k`` >= 1 sets how late the switch comes. Introduced in 10_seq2seq_attention.ipynb."""
    step = check_int("step", step, low=0)
    k = check_float("k", k, low=1.0)
    return 1.0 - k / (k + math.exp(min(step / k, 700.0)))


# ------------------------------------------------------------------------------------------ decoding
def _check_model(model) -> Seq2Seq:
    if not isinstance(model, Seq2Seq):
        raise TypeError(f"model must be a Seq2Seq, got {describe(model)}")
    return model


@torch.no_grad()
def greedy_decode(model: Seq2Seq, src: torch.Tensor, src_len: torch.Tensor, *, max_len: int = 60):
    """Free running: at each step feed back the most likely character, until every row has written EOS.

    Returns ``ids`` (B, L) int64 (after EOS: PAD) and ``alphas`` (B, L, T_x) float, the attention weights
    of each step (zeros without attention). Introduced in 10_seq2seq_attention.ipynb.
    """
    _check_model(model)
    max_len = check_int("max_len", max_len, low=1)
    was_training = model.training
    model.eval()
    memory, state = model.encode(src, src_len)
    B = src.shape[0]
    y = torch.full((B,), BOS, dtype=torch.int64)
    done = torch.zeros(B, dtype=torch.bool)
    ids, alphas = [], []
    for _ in range(max_len):
        logits, state, alpha = model.step(y, state, memory)
        y = logits.argmax(-1).masked_fill(done, PAD)  # (B,)
        ids.append(y)
        alphas.append(alpha if alpha is not None else torch.zeros(B, src.shape[1]))
        done = done | (y == EOS)
        if done.all():
            break
    model.train(was_training)
    return torch.stack(ids, 1), torch.stack(alphas, 1)


@dataclass
class Beam:
    """The result of ``beam_search``: ``ids`` (B, L) the best hypothesis of each row (after EOS: PAD),
    ``scores`` (B,) its log-probability, and ``hypotheses``: for each row, the final beam as a list of
    ``(ids list, log-probability)``, best first."""

    ids: torch.Tensor
    scores: torch.Tensor
    hypotheses: list


@torch.no_grad()
def beam_search(model: Seq2Seq, src: torch.Tensor, src_len: torch.Tensor, *, width: int = 4, max_len: int = 60) -> Beam:
    """Beam search: keep the ``width`` most probable prefixes (by their summed log-probability) at every step.

    A step extends each of the K live prefixes of a row by every character (K·V candidates), and keeps the K
    best; a prefix that has written EOS is finished and carries its score unchanged. ``width=1`` is greedy
    decoding. No length normalisation (every hypothesis of this task has a fixed length per row).
    All rows are decoded at once: the B·K prefixes are the rows of one batch. Introduced in
    10_seq2seq_attention.ipynb.
    """
    _check_model(model)
    width = check_int("width (beam width)", width, low=1)
    max_len = check_int("max_len", max_len, low=1)
    was_training = model.training
    model.eval()
    memory, state = model.encode(src, src_len)  # (B, T_x, H), (1, B, H)
    B, K, V = src.shape[0], width, model.config.tgt_vocab
    rows = torch.arange(B).repeat_interleave(K)  # row of each of the B·K prefixes
    memory = Memory(memory.h[rows], memory.mask[rows])
    state = state[:, rows]  # (1, B·K, H)
    scores = torch.full((B, K), float("-inf"))
    scores[:, 0] = 0.0  # start with one live prefix per row: <s>
    y = torch.full((B * K,), BOS, dtype=torch.int64)
    finished = torch.zeros(B, K, dtype=torch.bool)
    history = torch.zeros(B, K, 0, dtype=torch.int64)
    for _ in range(max_len):
        logits, state, _ = model.step(y, state, memory)
        logp = torch.log_softmax(logits, -1).view(B, K, V)
        # a finished prefix may only be extended by PAD, at no cost
        done_row = torch.full((V,), float("-inf"))
        done_row[PAD] = 0.0
        logp = torch.where(finished.unsqueeze(-1), done_row, logp)
        total = (scores.unsqueeze(-1) + logp).view(B, K * V)  # (B, K·V) candidate scores
        scores, flat = total.topk(K, dim=-1)  # (B, K)
        parent, char = flat // V, flat % V  # which prefix each survivor extends, with which character
        history = torch.cat([history.gather(1, parent.unsqueeze(-1).expand(-1, -1, history.shape[2])),
                             char.unsqueeze(-1)], dim=2)
        finished = finished.gather(1, parent) | (char == EOS)
        state = state.view(1, B, K, -1).gather(2, parent.view(1, B, K, 1).expand(1, B, K, state.shape[-1]))
        state = state.reshape(1, B * K, -1)
        y = char.view(-1)
        if finished.all():
            break
    ids = history[:, 0]  # the best (topk sorts) (B, L)
    hyps = [[(history[b, k].tolist(), float(scores[b, k])) for k in range(K) if scores[b, k] > float("-inf")]
            for b in range(B)]
    model.train(was_training)
    return Beam(ids, scores[:, 0].clone(), hyps)


def exact_match(predicted, targets) -> np.ndarray:
    """Boolean array: predicted[i] == targets[i] for two equal-length lists of strings.
    Introduced in 10_seq2seq_attention.ipynb."""
    if len(predicted) != len(targets):
        raise ValueError(f"predicted and targets must have the same length, got {len(predicted)} and {len(targets)}")
    return np.array([p == t for p, t in zip(predicted, targets, strict=True)], dtype=bool)


def char_accuracy(predicted, targets) -> np.ndarray:
    """Per pair, the share of characters right at the same position: matches / max(len(target), len(predicted)),
    so a missing or an extra character counts as wrong. A partial credit, like BLEU's, where ``exact_match``
    gives none. Introduced in 10_seq2seq_attention.ipynb."""
    if len(predicted) != len(targets):
        raise ValueError(f"predicted and targets must have the same length, got {len(predicted)} and {len(targets)}")
    out = np.empty(len(targets))
    for i, (p, t) in enumerate(zip(predicted, targets, strict=True)):
        if not isinstance(p, str) or not isinstance(t, str):
            raise TypeError(f"predicted and targets must hold strings, got {describe(p)} and {describe(t)}")
        out[i] = sum(a == b for a, b in zip(p, t, strict=False)) / max(len(p), len(t), 1)
    return out


@torch.no_grad()
def teacher_forced_accuracy(model: Seq2Seq, inputs: Seq2SeqInput, tgt_out: torch.Tensor) -> float:
    """Share of target characters (EOS included, PAD excluded) that the model predicts right when it is fed
    the *true* previous characters. Introduced in 10_seq2seq_attention.ipynb."""
    _check_model(model)
    was_training = model.training
    model.eval()
    logits = model(inputs._replace(sample_prob=0.0))
    model.train(was_training)
    real = tgt_out != PAD
    return float(((logits.argmax(-1) == tgt_out) & real).sum() / real.sum())


def free_running_accuracy(ids: torch.Tensor, tgt_out: torch.Tensor) -> float:
    """Share of target characters that a free-running decoder's output ``ids`` (B, L) gets right at the
    same position (EOS included, PAD excluded). Introduced in 10_seq2seq_attention.ipynb."""
    L = max(ids.shape[1], tgt_out.shape[1])
    a = nn.functional.pad(ids, (0, L - ids.shape[1]), value=PAD)
    b = nn.functional.pad(tgt_out, (0, L - tgt_out.shape[1]), value=PAD)
    real = b != PAD
    return float(((a == b) & real).sum() / real.sum())


def translate(model: Seq2Seq, text: str, src_vocab: CharVocab, tgt_vocab: CharVocab, *, width: int = 1,
              reverse: bool = False, max_len: int = 60):
    """Translate one string. Returns ``(output, alpha, beam)``: the greedy output text, its attention weights
    (L, T_x) numpy (``None`` without attention; one row per output character, plus a last row for the end
    symbol when the decoder wrote it), and the beam as ``[(text, log p), ...]``, best first (one entry when
    ``width=1``). Introduced in 10_seq2seq_attention.ipynb."""
    _check_model(model)
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {describe(text)}")
    src, src_len = src_vocab.encode([text], reverse=reverse)
    ids, alphas = greedy_decode(model, src, src_len, max_len=max_len)
    beam = beam_search(model, src, src_len, width=width, max_len=max_len)
    outputs = [(tgt_vocab.decode(h), score) for h, score in beam.hypotheses[0]]
    output = tgt_vocab.decode(ids[0])
    wrote_end = bool((ids[0] == EOS).any())
    alpha = alphas[0, : len(output) + wrote_end].numpy() if model.attention is not None else None
    return output, alpha, outputs


def decoder_step_fn(model: Seq2Seq, text: str, src_vocab: CharVocab, *, reverse: bool = False):
    """The trained decoder as a function for a beam search written by hand (exercise 5 of chapter 10).

    Reads ``text`` with the encoder once and returns ``step_fn(prefix)``: ``prefix`` a list of target ids (the
    symbols written so far, without the start symbol), the result the log-probabilities (V,) numpy float64 of
    the next symbol. EOS (``seq2seq.EOS``) ends a sequence. Each call runs the decoder from the start symbol
    over the prefix (a few steps: simple rather than fast). Introduced in 10_seq2seq_attention.ipynb."""
    _check_model(model)
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {describe(text)}")
    src, src_len = src_vocab.encode([text], reverse=reverse)
    with torch.no_grad():
        memory, state0 = model.encode(src, src_len)
    V = model.config.tgt_vocab

    def step_fn(prefix) -> np.ndarray:
        if not isinstance(prefix, (list, tuple)) or not all(isinstance(i, (int, np.integer)) for i in prefix):
            raise TypeError(f"prefix must be a list of int ids, got {describe(prefix)}")
        if any(not 0 <= int(i) < V for i in prefix):
            raise ValueError(f"prefix ids must lie in 0 ... {V - 1}, got {list(prefix)}")
        with torch.no_grad(), eval_mode(model):
            state = state0
            for y in [BOS, *map(int, prefix)]:
                logits, state, _ = model.step(torch.tensor([y]), state, memory)
            return torch.log_softmax(logits[0].double(), -1).numpy()

    return step_fn


__all__ += ["Memory", "char_accuracy", "decoder_step_fn", "free_running_accuracy"]


# ------------------------------------------------------------------------------------------ evaluation
def predict(model: Seq2Seq, pairs, src_vocab: CharVocab, tgt_vocab: CharVocab, *, width: int = 1,
            reverse: bool = False, batch: int = 250) -> list[str]:
    """The model's translations of ``pairs`` (greedy when ``width=1``, else beam search), in batches.
    Introduced in 10_seq2seq_attention.ipynb."""
    _check_model(model)
    width = check_int("width (beam width)", width, low=1)
    batch = check_int("batch", batch, low=1)
    pairs = list(pairs)
    out = []
    for k in range(0, len(pairs), batch):
        inputs, tgt_out = make_batch(pairs[k : k + batch], src_vocab, tgt_vocab, reverse=reverse)
        max_len = tgt_out.shape[1] + 5
        if width == 1:
            ids, _ = greedy_decode(model, inputs.src, inputs.src_len, max_len=max_len)
        else:
            ids = beam_search(model, inputs.src, inputs.src_len, width=width, max_len=max_len).ids
        out.extend(tgt_vocab.decode(row) for row in ids)
    return out


def accuracy_by_length(lengths, correct, edges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact-match accuracy in bins of source length: ``edges`` (n + 1,) increasing; bin i holds lengths in
    [edges[i], edges[i+1]). Returns (centres (n,), accuracy (n,), counts (n,)); accuracy is NaN in an empty bin.
    Introduced in 10_seq2seq_attention.ipynb."""
    lengths = np.asarray(lengths, dtype=float)
    correct = np.asarray(correct, dtype=float)
    edges = np.asarray(edges, dtype=float)
    if lengths.shape != correct.shape or lengths.ndim != 1:
        raise ValueError(f"lengths and correct must be 1-D of one length, got {lengths.shape} and {correct.shape}")
    if edges.ndim != 1 or len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"edges must be increasing with at least two entries, got {edges.tolist()}")
    which = np.digitize(lengths, edges) - 1  # bin index, -1 or n outside
    n = len(edges) - 1
    counts = np.array([(which == i).sum() for i in range(n)])
    with np.errstate(invalid="ignore"):
        acc = np.array([correct[which == i].mean() if counts[i] else np.nan for i in range(n)])
    return (edges[:-1] + edges[1:]) / 2, acc, counts


# ------------------------------------------------------------------------------------ pretrained models
def quantize_state(state: dict) -> dict:
    """Pack a ``state_dict`` into 8-bit integers to store it in a quarter of float32's bytes.

    Each tensor is cut into rows (its first axis; a 1-D tensor is one row); each row gets a scale
    ``max|row| / 127`` (float16) and its entries are stored as ``round(w / scale)`` in int8, so every weight is
    off by at most half its row's scale. Returns ``{"q": int8 (N,), "scales": float16 (R,), "layout":
    [(name, shape), ...]}``: all tensors of the model flattened into one (few records in the file).
    ``dequantize_state`` undoes it. Introduced in 10_seq2seq_attention.ipynb (data/seq2seq_dates.pt).
    """
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise TypeError(f"state must be a non-empty dict of tensors (a state_dict), got {describe(state)}")
    qs, scales, layout = [], [], []
    for name, w in state.items():
        if not w.is_floating_point() or w.numel() == 0:
            raise ValueError(f"state[{name!r}] must be a non-empty float tensor, got {w.dtype} of shape "
                             f"{tuple(w.shape)}")
        rows = w.detach().float().reshape(w.shape[0] if w.dim() > 1 else 1, -1)  # (R, C)
        scale = (rows.abs().amax(dim=1) / 127).clamp_min(1e-12).half()  # (R,), rounded to what is stored
        q = torch.round(rows / scale.float()[:, None]).clamp(-127, 127).to(torch.int8)
        qs.append(q.reshape(-1))
        scales.append(scale)
        layout.append((name, list(w.shape)))
    return {"q": torch.cat(qs), "scales": torch.cat(scales), "layout": layout}


def dequantize_state(packed: dict) -> dict:
    """The float32 ``state_dict`` of ``quantize_state``'s output (each weight = int8 × its row's scale).
    Introduced in 10_seq2seq_attention.ipynb."""
    if not isinstance(packed, dict) or not {"q", "scales", "layout"} <= set(packed):
        raise TypeError(f"packed must be a dict with 'q', 'scales' and 'layout' (from quantize_state), got "
                        f"{describe(packed)}")
    q, scales = packed["q"], packed["scales"]
    state, i, r = {}, 0, 0
    for name, shape in packed["layout"]:
        n = math.prod(shape)
        rows = shape[0] if len(shape) > 1 else 1
        if i + n > q.numel() or r + rows > scales.numel():
            raise ValueError(f"packed is truncated: its layout needs more entries than 'q' or 'scales' hold "
                             f"(at {name!r})")
        w = q[i:i + n].float().reshape(rows, -1) * scales[r:r + rows].float()[:, None]
        state[name] = w.reshape(shape)
        i, r = i + n, r + rows
    if i != q.numel() or r != scales.numel():
        raise ValueError(f"packed has {q.numel() - i} entries and {scales.numel() - r} scales its layout does not use")
    return state


PRETRAINED_FILE = "seq2seq_dates.pt"
"""The encoder-decoders of chapter 10, trained by tools/train_seq2seq.py (see data/README.md)."""


def load_models(path) -> tuple[dict, dict]:
    """Load the models written by tools/train_seq2seq.py with ``torch.load(path, weights_only=True)``.

    Returns ``(models, info)``: ``models`` maps ``"variant/seedN"`` to a ``Seq2Seq`` in eval mode (float32;
    the shipped file stores 8-bit weights, ``dequantize_state``),
    ``info`` holds the file's ``config``, ``variants``, ``training`` and ``results`` entries. No checksum (the
    file is yours); ``load_pretrained`` checks the shipped one. Introduced in 10_seq2seq_attention.ipynb.
    """
    from pathlib import Path

    from rnn_helpers.dates import vocabularies

    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or a pathlib.Path, got {describe(path)}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved models at {path}")
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a damaged zip, or not a torch file at all
        raise ValueError(f"{path} is not a file written by tools/train_seq2seq.py ({type(err).__name__})") from err
    if not isinstance(saved, dict) or not {"models", "config", "variants", "training"} <= set(saved):
        raise ValueError(f"{path} is not a file written by tools/train_seq2seq.py")
    src_vocab, tgt_vocab = vocabularies()
    models = {}
    for key, state in saved["models"].items():
        variant = saved["variants"][key.split("/")[0].split("@")[0]]  # "plain@300/seed0": plain after 300 steps
        config = Seq2SeqConfig(len(src_vocab), len(tgt_vocab), attention=variant["attention"], **saved["config"])
        model = Seq2Seq(config)
        if {"q", "scales", "layout"} <= set(state):  # the shipped file: 8-bit weights (quantize_state)
            model.load_state_dict(dequantize_state(state))
        else:  # a file of tools/train_seq2seq.py before merging: float16 weights
            model.load_state_dict({k: v.float() for k, v in state.items()})
        models[key] = model.eval()
    return models, {k: saved[k] for k in ("config", "variants", "training", "results") if k in saved}


def load_pretrained(data_dir=None) -> tuple[dict, dict]:
    """The shipped models of chapter 10 (``load_models`` on data/seq2seq_dates.pt), after checking the file's
    size and SHA-256 like every file of data/. Introduced in 10_seq2seq_attention.ipynb."""
    from pathlib import Path

    from rnn_helpers.datasets import default_data_dir, verify_data_file

    if data_dir is not None and not isinstance(data_dir, (str, Path)):
        raise TypeError(f"data_dir must be None, a str or a pathlib.Path, got {describe(data_dir)}")
    verify_data_file(PRETRAINED_FILE, data_dir)
    return load_models((default_data_dir() if data_dir is None else Path(data_dir)) / PRETRAINED_FILE)


__all__ += ["PRETRAINED_FILE", "accuracy_by_length", "dequantize_state", "load_models", "load_pretrained", "predict",
            "quantize_state"]
