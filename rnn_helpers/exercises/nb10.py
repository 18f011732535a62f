"""Exercises of 10_seq2seq_attention.ipynb: a beam-search step, reading an alignment, the additive score,
the decoder's teacher-forced input, and a whole beam search (the assignment-size one).

Messages say how an answer is wrong, never what the right values are.
"""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, ____, as_array, call_learner, is_blank, mutate


def _reference_beam_step(scores, log_probs, width):
    total = (scores[:, None] + log_probs).ravel()  # (K·V,)
    best = np.argsort(-total, kind="stable")[:width]
    V = log_probs.shape[1]
    return total[best], best // V, best % V


def _as_three(result, what):
    if is_blank(result):
        raise NotAttempted(f"{what} still returns ____.")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Incorrect(f"{what} should return three arrays (new_scores, parents, chars); it returned "
                        f"{type(result).__name__}.")
    return [as_array(r, what) for r in result]


class BeamStep(Exercise):
    title = "Exercise 1: one step of beam search"
    hints = (
        "A candidate is a live prefix k extended by a character v. Its score is the prefix's score plus the "
        "log-probability of v after that prefix: scores[k] + log_probs[k, v]. There are K·V candidates.",
        "Put all K·V candidate scores in one table, rank them together (not row by row), and for each survivor "
        "work out which row (prefix) and which column (character) it came from.",
    )
    solution_code = """
import numpy as np

def beam_step(scores, log_probs, width):
    total = (scores[:, None] + log_probs).ravel()        # (K·V,) every prefix extended by every character
    best = np.argsort(-total, kind="stable")[:width]     # the `width` largest, best first
    V = log_probs.shape[1]
    return total[best], best // V, best % V               # new scores, parent prefix, character
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code,  # the worst first
               'np.argsort(-total, kind="stable")',
               'np.argsort(total, kind="stable")'),
        mutate(solution_code,  # parent and character swapped
               "return total[best], best // V, best % V",
               "return total[best], best % V, best // V"),
        mutate(solution_code,  # the prefix scores forgotten
               "total = (scores[:, None] + log_probs).ravel()",
               "total = log_probs.ravel()"),
    )

    def _check(self, beam_step) -> None:
        rng = np.random.default_rng(10)
        cases = []
        for K, V, width in ((3, 5, 3), (2, 6, 4), (1, 4, 2), (4, 3, 1)):
            scores = -rng.gamma(2.0, 1.0, size=K)
            logits = rng.normal(size=(K, V)) * 2
            log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
            cases.append((scores, log_probs, width))
        # a case where the best extensions all come from one prefix (greedy-per-prefix fails)
        cases.append((np.array([-0.1, -5.0]), np.log(np.array([[0.5, 0.45, 0.05], [0.9, 0.05, 0.05]])), 2))
        for scores, log_probs, width in cases:
            got = _as_three(call_learner(beam_step, scores.copy(), log_probs.copy(), width), "beam_step")
            new, parents, chars = got
            ref = _reference_beam_step(scores, log_probs, width)
            if any(g.shape != (width,) for g in got):
                raise Incorrect(f"With width={width}, each of the three arrays should hold {width} entries "
                                f"(one per surviving prefix); yours have shapes {[g.shape for g in got]}.")
            if np.allclose(new, ref[0]) and np.array_equal(parents, ref[1]) and np.array_equal(chars, ref[2]):
                continue
            if np.allclose(np.sort(new), np.sort(ref[0])) and not np.allclose(new, ref[0]):
                raise Incorrect("You keep the right candidates but not best first: sort by score, highest first.")
            only_next = _reference_beam_step(np.zeros_like(scores), log_probs, width)
            if np.array_equal(parents, only_next[1]) and np.array_equal(chars, only_next[2]) and len(scores) > 1:
                raise Incorrect("You ranked the candidates by the next character's log-probability alone: add "
                                "the score of the prefix it extends (scores[k] + log_probs[k, v]).")
            if np.allclose(new, ref[0]) and np.array_equal(parents, ref[2]) and np.array_equal(chars, ref[1]):
                raise Incorrect("Parents and characters are swapped: the parent is the prefix (the row, "
                                "index // V), the character the column (index % V).")
            if np.allclose(new, ref[0]) and not np.array_equal(chars, ref[2]):
                raise Incorrect("The scores are right but the characters are not: from a flat index into the "
                                "(K, V) table, the character is index % V and the prefix index // V.")
            if np.allclose(new, np.exp(ref[0])):
                raise Incorrect("Work with log-probabilities: the score of a candidate is a sum of logs, not a "
                                "product of probabilities.")
            per_prefix = len(set(parents.tolist())) == len(parents) and len(set(ref[1].tolist())) < len(ref[1])
            if per_prefix:
                raise Incorrect("You kept (at most) one extension per prefix. Beam search ranks all K·V "
                                "candidates together: two survivors may extend the same prefix.")
            raise Incorrect(f"For K={len(scores)} prefixes, V={log_probs.shape[1]} characters and width={width} "
                            "your step keeps other candidates than the `width` best of scores[k] + log_probs[k, v].")


def _alignment_case():
    """A soft alignment of the kind the trained model draws: source '3. März 1999' -> target '1999-03-03'.
    Rows: target characters; columns: source characters."""
    source, target = "3. März 1999", "1999-03-03"
    rng = np.random.default_rng(3)
    focus = [8, 9, 10, 11, 4, 5, 6, 4, 0, 0]  # year digits <- '1999', month <- 'Mär', day <- '3'
    alpha = rng.uniform(0.0, 0.05, size=(len(target), len(source)))
    for t, j in enumerate(focus):
        alpha[t, j] += 0.8
    return source, target, alpha / alpha.sum(1, keepdims=True)


class HardAlignment(Exercise):
    title = "Exercise 2: read an alignment"
    hints = (
        "Row t of α holds the weights that output character t gives to every source character; the row sums "
        "to 1. The source character it reads most is the column with the largest weight.",
        "You want one answer per output character, so reduce along the source axis; the answer is a position "
        "(an index), not a weight.",
    )
    solution_code = """
import numpy as np

def hard_alignment(alpha):
    return np.argmax(alpha, axis=1)   # for each output character (row), the source position it reads most
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def hard_alignment(alpha):
    return np.argmax(alpha, axis=0)   # for each output character (row), the source position it reads most
""",
        """
import numpy as np

def hard_alignment(alpha):
    return np.argmin(alpha, axis=1)   # for each output character (row), the source position it reads most
""",
    )

    def _check(self, hard_alignment) -> None:
        source, target, alpha = _alignment_case()
        rng = np.random.default_rng(4)
        other = rng.dirichlet(np.ones(7) * 0.3, size=5)  # (5 outputs, 7 source characters)
        for a in (alpha, other):
            got = as_array(call_learner(hard_alignment, a.copy()), "hard_alignment")
            expected = a.argmax(1)
            if got.shape != expected.shape:
                if got.shape == (a.shape[1],):
                    raise Incorrect("You took the maximum over the wrong axis: you want one source position per "
                                    "output character (per row), so the answer has one entry per row.")
                raise Incorrect(f"For α of shape {a.shape} (outputs × source) the answer should hold one index "
                                f"per output character; yours has shape {got.shape}.")
            if np.allclose(got, a.max(1)):
                raise Incorrect("Those are the largest weights; the question asks *where* they are (their "
                                "column index, argmax).")
            if not np.array_equal(got, expected):
                raise Incorrect("Some output characters are aligned to the wrong source character: for each row "
                                "take the column of its largest weight.")


class AdditiveScore(Exercise):
    title = "Exercise 3: Bahdanau's additive score"
    hints = (
        "For one query s (d_q,) and annotations h (T_k, d_k): project s with W_a (A, d_q) and every h_j with "
        "U_a (A, d_k), add, squash with tanh, and take the dot product with v_a (A,).",
        "Write the projection of all annotations at once as one matrix product, shape (T_k, A); the projected "
        "query, shape (A,), broadcasts against it. Stop before the softmax.",
    )
    solution_code = """
import numpy as np

def additive_scores(s, h, W_a, U_a, v_a):
    return np.tanh(W_a @ s + h @ U_a.T) @ v_a    # e_j = v_aᵀ tanh(W_a s + U_a h_j), shape (T_k,)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def additive_scores(s, h, W_a, U_a, v_a):
    return (W_a @ s + h @ U_a.T) @ v_a    # e_j = v_aᵀ tanh(W_a s + U_a h_j), shape (T_k,)
""",
        """
import numpy as np

def additive_scores(s, h, W_a, U_a, v_a):
    return h @ s    # e_j = v_aᵀ tanh(W_a s + U_a h_j), shape (T_k,)
""",
    )

    def _check(self, additive_scores) -> None:
        rng = np.random.default_rng(11)
        for d_q, d_k, A, T_k in ((3, 4, 5, 6), (2, 2, 3, 1), (4, 3, 2, 5)):
            s, h = rng.normal(size=d_q), rng.normal(size=(T_k, d_k))
            W_a, U_a, v_a = rng.normal(size=(A, d_q)), rng.normal(size=(A, d_k)), rng.normal(size=A)
            got = as_array(call_learner(additive_scores, s, h, W_a, U_a, v_a), "additive_scores")
            e = np.tanh(W_a @ s + h @ U_a.T) @ v_a
            if got.shape != e.shape:
                raise Incorrect(f"With T_k = {T_k} annotations there is one score per annotation, shape "
                                f"({T_k},); yours has shape {got.shape}.")
            if np.allclose(got, e, atol=1e-8):
                continue
            soft = np.exp(e - e.max())
            if T_k > 1 and np.allclose(got, soft / soft.sum(), atol=1e-8):
                raise Incorrect("Those are the attention weights α (after the softmax); return the scores e "
                                "before it.")
            if np.allclose(got, (W_a @ s + h @ U_a.T) @ v_a, atol=1e-8):
                raise Incorrect("The tanh is missing: e_j = v_aᵀ tanh(W_a s + U_a h_j).")
            if np.allclose(got, np.tanh(W_a @ s + h @ U_a.T).sum(1), atol=1e-8):
                raise Incorrect("You summed the A components; weight them with v_a (a dot product) instead.")
            raise Incorrect(f"For d_q={d_q}, d_k={d_k}, A={A}, T_k={T_k} your scores differ from "
                            "v_aᵀ tanh(W_a s + U_a h_j).")


class DecoderBatch(Exercise):
    title = "Exercise 4: a teacher-forced batch"
    hints = (
        "For each target y_1 ... y_T the decoder reads one symbol per step and must predict one per step. It "
        "predicts y_1 ... y_T and then the end symbol; at the first step it has read nothing yet but the start "
        "symbol.",
        "Both arrays have one row per target and as many columns as the longest target plus one; what a short "
        "row lacks is filled with `pad`, at the end. Check one row by hand: the input at step t + 1 is the "
        "output of step t.",
    )
    solution_code = """
import numpy as np

def decoder_batch(targets, bos, eos, pad):
    T = max(len(t) for t in targets) + 1                  # every target gains one symbol: bos in, eos out
    inputs = np.full((len(targets), T), pad, dtype=int)
    outputs = np.full((len(targets), T), pad, dtype=int)
    for b, target in enumerate(targets):
        inputs[b, : len(target) + 1] = [bos] + list(target)     # bos, y_1, ..., y_T
        outputs[b, : len(target) + 1] = list(target) + [eos]    # y_1, ..., y_T, eos
    return inputs, outputs
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code,  # inputs without bos: they equal the outputs
               "inputs[b, : len(target) + 1] = [bos] + list(target)",
               "inputs[b, : len(target) + 1] = list(target) + [eos]"),
        mutate(solution_code,  # outputs shifted like the inputs
               "outputs[b, : len(target) + 1] = list(target) + [eos]",
               "outputs[b, : len(target) + 1] = [bos] + list(target)"),
    )

    @staticmethod
    def _reference(targets, bos, eos, pad, *, in_end=None, out_end=True, left=False):
        T = max(len(t) for t in targets) + 1
        inputs = np.full((len(targets), T), pad, dtype=int)
        outputs = np.full((len(targets), T), pad, dtype=int)
        for b, target in enumerate(targets):
            row_in = [bos] + list(target) if in_end is None else [bos] + list(target[:-1])
            row_out = list(target) + ([eos] if out_end else [])
            if left:
                inputs[b, T - len(row_in):], outputs[b, T - len(row_out):] = row_in, row_out
            else:
                inputs[b, :len(row_in)], outputs[b, :len(row_out)] = row_in, row_out
        return inputs, outputs

    def _check(self, decoder_batch) -> None:
        bos, eos, pad = 1, 2, 0
        cases = ([[5, 9, 9, 7], [4, 6], [8]], [[4, 4, 5]], [[6], [7, 8, 9, 10, 11]])
        for targets in cases:
            result = call_learner(decoder_batch, [list(t) for t in targets], bos, eos, pad)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise Incorrect(f"decoder_batch should return two arrays, (inputs, outputs); it returned "
                                f"{type(result).__name__}.")
            try:
                got_in, got_out = (np.asarray(r, dtype=float) for r in result)
            except (TypeError, ValueError) as err:  # rows of different lengths
                raise Incorrect("Return two 2-D arrays, one row per target (a batch), not lists of lists of "
                                "different lengths: pad the short rows.") from err
            ref_in, ref_out = self._reference(targets, bos, eos, pad)
            if got_in.ndim != 2 or got_out.ndim != 2:
                raise Incorrect("Return two 2-D arrays, one row per target (a batch), not lists of lists of "
                                "different lengths: pad the short rows.")
            if got_in.shape != ref_in.shape or got_out.shape != ref_out.shape:
                if got_in.shape[0] != len(targets) and got_in.shape[1:] == (len(targets),):
                    raise Incorrect("The axes are swapped: the course's batches are batch first, one row per "
                                    "target (B, T).")
                longest = max(len(x) for x in targets)
                if got_in.shape[1] == longest or got_out.shape[1] == longest:
                    raise Incorrect("The rows are one step too short: the decoder reads the start symbol before "
                                    "the first character and writes the end symbol after the last, so a target "
                                    "of T symbols takes T + 1 steps.")
                raise Incorrect(f"For {len(targets)} targets, the longest of {longest} symbols, your arrays have "
                                f"shapes {got_in.shape} and {got_out.shape}: one row per target, and one column "
                                "per decoding step of the longest target.")
            if np.array_equal(got_in, ref_in) and np.array_equal(got_out, ref_out):
                continue
            if np.array_equal(got_in, ref_out) and np.array_equal(got_out, ref_in):
                raise Incorrect("Inputs and outputs are swapped: the decoder *reads* the start symbol first and "
                                "*predicts* the end symbol last.")
            if np.array_equal(got_in, ref_in) and np.array_equal(got_out, got_in):
                raise Incorrect("The outputs equal the inputs: the decoder would be asked to predict the symbol "
                                "it has just read. Shift one of them by one step.")
            left_in, left_out = self._reference(targets, bos, eos, pad, left=True)
            if np.array_equal(got_in, left_in) and np.array_equal(got_out, left_out) and len(targets) > 1:
                raise Incorrect("You padded at the start of the short rows; the decoder starts every row at step "
                                "0 with the start symbol, so padding goes at the end.")
            if np.array_equal(got_in, ref_in) and not np.array_equal(got_out, ref_out):
                no_eos = self._reference(targets, bos, eos, pad, out_end=False)[1]
                if np.array_equal(got_out, no_eos):
                    raise Incorrect("The outputs never ask for the end symbol: without it the model never learns "
                                    "where to stop.")
                raise Incorrect("The inputs are right; the outputs are not: step t must predict the symbol the "
                                "decoder reads at step t + 1, and the last step the end symbol.")
            if np.array_equal(got_out, ref_out):
                if np.any(got_in == eos):
                    raise Incorrect("The decoder never reads the end symbol: it is the last thing it writes.")
                raise Incorrect("The outputs are right; the inputs are not: the decoder reads the start symbol, "
                                "then each true target symbol in turn (teacher forcing).")
            if np.any((ref_in == pad) & (got_in != pad)) or np.any((ref_out == pad) & (got_out != pad)):
                raise Incorrect("Fill what a short row lacks with `pad`, and nothing else.")
            raise Incorrect("Neither array is what the decoder reads and predicts under teacher forcing; check one "
                            "row by hand against the hints.")


# ------------------------------------------------------------------------ the assignment: beam search
EOS_TOY = 0


def _toy_step_fn(seed: int, V: int = 4, order: int = 2):
    """A small fixed language model over V symbols (0 = EOS): log p(next | last `order` symbols)."""
    rng = np.random.default_rng(seed)
    table = {}

    def step_fn(prefix):
        key = tuple(prefix[-order:])
        if key not in table:
            logits = rng.normal(size=V) * 1.5
            logits[EOS_TOY] += 0.5 * len(prefix) - 1.5  # ending grows likelier with length
            table[key] = logits - np.log(np.exp(logits).sum())
        return table[key].copy()

    return step_fn


def _table_step_fn(table: dict, V: int, default=None):
    """A hand-written model: ``table`` maps a prefix (tuple) to probabilities of the next symbol; a prefix
    not in it gets ``default`` (uniform if None)."""

    def step_fn(prefix):
        p = np.asarray(table.get(tuple(prefix), np.full(V, 1.0 / V) if default is None else default), dtype=float)
        return np.log(p)

    return step_fn


# Hand-built cases, each (step_fn factory, width, max_len, what it tests).
_GREEDY_TRAP = {(): [0.05, 0.5, 0.45], (1,): [0.3, 0.35, 0.35], (2,): [0.9, 0.05, 0.05]}  # greedy goes 1, beam 2 0
_EOS_CARRY = {(): [0.4, 0.3, 0.3], (1,): [0.1, 0.45, 0.45], (2,): [0.1, 0.45, 0.45]}  # () -> eos finishes first
_LONG = {(): [0.01, 0.6, 0.39], (1,): [0.02, 0.18, 0.8]}  # eos stays unlikely: max_len ends every hypothesis
_CASES = (
    (lambda: _table_step_fn(_GREEDY_TRAP, 3), 2, 4, "greedy and beam differ"),
    (lambda: _table_step_fn(_EOS_CARRY, 3), 3, 5, "a finished hypothesis stays in the beam"),
    (lambda: _table_step_fn(_LONG, 3, [0.02, 0.58, 0.4]), 2, 3, "max_len cuts every hypothesis"),
)


def _beam(step_fn, width, max_len, eos=EOS_TOY, *, extend_finished=False, drop_finished=False,
          stop_when_best_done=False, length_norm=False, steps_offset=0, per_prefix=False, probs=False):
    """Beam search (the reference), and with flags the mistakes learners make, so that the checker can name them."""
    beam = [((), 0.0)]
    done = []
    for _ in range(max_len + steps_offset):
        candidates = []
        for prefix, score in beam:
            if prefix and prefix[-1] == eos and not extend_finished:
                candidates.append((prefix, score))  # finished: carried over unchanged
                continue
            logp = step_fn(list(prefix))
            ext = [(prefix + (v,), score * float(np.exp(logp[v])) if probs else score + float(logp[v]))
                   for v in range(len(logp))]
            if per_prefix:
                ext = sorted(ext, key=lambda c: -c[1])[:1]
            candidates.extend(ext)
        key = (lambda c: -c[1] / max(len(c[0]), 1)) if length_norm else (lambda c: -c[1])
        beam = sorted(candidates, key=key)[:width]
        if drop_finished:
            done += [c for c in beam if c[0][-1] == eos]
            beam = [c for c in beam if c[0][-1] != eos]
            if not beam:
                break
        if beam and all(p and p[-1] == eos for p, _ in beam):
            break
        if stop_when_best_done and beam and beam[0][0][-1] == eos:
            break
    if probs:
        beam = [(p, float(np.log(s)) if s > 0 else -np.inf) for p, s in beam]
    return beam


_MISTAKES = (  # flags of _beam -> what the learner is told
    ({"extend_finished": True}, "A hypothesis goes on after eos: once a prefix ends with eos it is finished; carry "
                                "it over unchanged instead of extending it."),
    ({"drop_finished": True}, "Finished hypotheses are missing from your final beam: a prefix that ends with eos "
                              "stays in the beam, competing with the others on its score, until the search ends."),
    ({"stop_when_best_done": True}, "You stop as soon as the best hypothesis has finished; stop only after max_len "
                                    "steps or when *every* hypothesis in the beam has finished."),
    ({"length_norm": True}, "You rank by the average log-probability per symbol (length normalisation); this "
                            "exercise ranks by the summed log-probability of the whole prefix."),
    ({"steps_offset": -1}, "Your hypotheses stop one symbol short: run max_len steps, each adding one symbol."),
    ({"steps_offset": 1}, "Your hypotheses grow one symbol past max_len: run max_len steps, each adding one symbol."),
    ({"per_prefix": True}, "You kept only the best extension of each prefix. Beam search ranks all extensions of "
                           "all prefixes together: two survivors may extend the same prefix."),
)


def _normalise(got):
    return [(tuple(int(i) for i in p), float(s)) for p, s in got]


def _same(a, b) -> bool:
    return [p for p, _ in a] == [p for p, _ in b] and np.allclose([s for _, s in a], [s for _, s in b])


def reference_beam_search(step_fn, width, max_len, eos=EOS_TOY):
    """The checker's reference (kept for the tests): the final beam, best first."""
    return _beam(step_fn, width, max_len, eos)


class BeamSearch(Exercise):
    title = "Exercise 5 (assignment): beam search from scratch"
    hints = (
        "Keep a list of (prefix, score) pairs, starting with [((), 0.0)]. At each step, extend every unfinished "
        "prefix by every symbol v with score + log p(v | prefix) (from step_fn), carry finished ones (ending in "
        "eos) over unchanged, and keep the `width` best of all these candidates.",
        "Check your function by hand on a model where the greedy choice is a trap: a first symbol that is a "
        "little more likely, after which every continuation is unlikely. Width 1 must give greedy decoding, and "
        "a finished prefix must still be in the beam at the end.",
    )
    solution_code = """
def beam_search(step_fn, width, max_len, eos=0):
    beam = [((), 0.0)]
    for _ in range(max_len):
        candidates = []
        for prefix, score in beam:
            if prefix and prefix[-1] == eos:
                candidates.append((prefix, score))            # finished: kept as it is
                continue
            log_p = step_fn(list(prefix))                     # (V,) log-probabilities of the next symbol
            candidates += [(prefix + (v,), score + float(log_p[v])) for v in range(len(log_p))]
        beam = sorted(candidates, key=lambda c: -c[1])[:width]
        if all(p and p[-1] == eos for p, _ in beam):
            break
    return beam
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "key=lambda c: -c[1]", "key=lambda c: c[1]"),  # keeps the worst, not the best
        mutate(solution_code,  # finished prefixes extended like the others
               "candidates.append((prefix, score))            # finished: kept as it is\n                continue\n",
               "pass  # finished prefixes extended like the others\n"),
    )

    def _check(self, beam_search) -> None:
        from rnn_helpers import seq2seq

        if beam_search is seq2seq.beam_search or beam_search is reference_beam_search:
            raise Incorrect("That is the course's own beam search, not yours: write beam_search yourself "
                            "(the exercise is the loop), then compare it with seq2seq.beam_search.")
        cases = [(factory, width, max_len) for factory, width, max_len, _ in _CASES]
        cases += [((lambda seed=seed: _toy_step_fn(seed)), width, 6) for seed in range(6) for width in (1, 2, 3)]
        for factory, width, max_len in cases:
            expected = _beam(factory(), width, max_len)
            result = call_learner(beam_search, factory(), width, max_len)
            try:
                got = _normalise(result)
            except (TypeError, ValueError) as err:
                raise Incorrect("beam_search should return a list of (prefix, score) pairs, best first, each "
                                "prefix a tuple of symbol ids and each score a number.") from err
            if _same(got, expected):
                continue
            scores = [s for _, s in got]
            if len(got) > width:
                raise Incorrect(f"With width={width} your final beam holds {len(got)} hypotheses: keep only the "
                                "`width` best.")
            for flags, message in _MISTAKES:
                if _same(got, _beam(factory(), width, max_len, **flags)):
                    raise Incorrect(message)
            if scores != sorted(scores, reverse=True):
                raise Incorrect("Return the beam best first (highest log-probability first).")
            if any(s > 1e-12 for s in scores):
                raise Incorrect("A score above 0 cannot be a log-probability: add the log-probabilities of the "
                                "symbols (each ≤ 0), starting from 0.")
            greedy = _beam(factory(), 1, max_len)
            if width > 1 and got and got[0][0] == greedy[0][0] != expected[0][0]:
                raise Incorrect(f"With width={width} your best hypothesis is the greedy one, but a wider beam "
                                "finds a more probable sequence here: keep the `width` best prefixes at every "
                                "step, not only the best.")
            if any(eos_inside(p) for p, _ in got):
                raise Incorrect(_MISTAKES[0][1])
            if [p for p, _ in got] == [p for p, _ in expected]:
                raise Incorrect("Your hypotheses are the right ones but their scores are not: a hypothesis's "
                                "score is the sum of the log-probabilities of its symbols, and a finished one "
                                "keeps its score.")
            raise Incorrect(f"With width={width} and max_len={max_len} your final beam holds other hypotheses "
                            "than beam search keeps; try the hints' hand-made trap.")


def eos_inside(prefix, eos=EOS_TOY) -> bool:
    return eos in prefix[:-1]


ex1 = BeamStep()
ex2 = HardAlignment()
ex3 = AdditiveScore()
ex4 = DecoderBatch()
ex5 = BeamSearch()

# the blank comes with the exercises: `from rnn_helpers.exercises.nb10 import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5"]
