"""Exercises of 10_seq2seq_attention.ipynb: a beam-search step, reading an alignment, the additive score,
the decoder's teacher-forced input, and a whole beam search (the assignment-size one).

Messages say how an answer is wrong, never what the right values are.
"""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, as_array, call_learner, is_blank


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
        "Flatten the (K, V) table of candidate scores, take the `width` largest (best first), and recover the "
        "prefix and the character of each from its flat index: parent = index // V, char = index % V.",
    )
    solution_code = """
import numpy as np

def beam_step(scores, log_probs, width):
    total = (scores[:, None] + log_probs).ravel()        # (K·V,) every prefix extended by every character
    best = np.argsort(-total, kind="stable")[:width]     # the `width` largest, best first
    V = log_probs.shape[1]
    return total[best], best // V, best % V               # new scores, parent prefix, character
"""

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
        "`alpha.argmax(axis=1)`: one column index per row (per output character).",
    )
    solution_code = """
import numpy as np

def hard_alignment(alpha):
    return np.argmax(alpha, axis=1)   # for each output character (row), the source position it reads most
"""

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
        "e = np.tanh(W_a @ s + h @ U_a.T) @ v_a: (A,) + (T_k, A) broadcasts to (T_k, A). These are the scores, "
        "before the softmax.",
    )
    solution_code = """
import numpy as np

def additive_scores(s, h, W_a, U_a, v_a):
    return np.tanh(W_a @ s + h @ U_a.T) @ v_a    # e_j = v_aᵀ tanh(W_a s + U_a h_j), shape (T_k,)
"""

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


class DecoderInputs(Exercise):
    title = "Exercise 4: what the decoder reads under teacher forcing"
    hints = (
        "At step t the decoder predicts y_t and reads the true previous character y_{t-1}; at the first step "
        "there is no previous character, so it reads the start symbol BOS.",
        "Shift the target right by one: [BOS, y_1, ..., y_{T-1}]; the last target character is never an input.",
    )
    solution_code = """
def decoder_inputs(target, bos):
    return [bos] + list(target[:-1])      # BOS, y_1, ..., y_{T-1}: same length as the target
"""

    def _check(self, decoder_inputs) -> None:
        for target in ([5, 9, 9, 7, 2], [4, 2], [8]):
            bos = 1
            got = call_learner(decoder_inputs, list(target), bos)
            try:
                got = [int(g) for g in got]
            except (TypeError, ValueError) as err:
                what = type(got).__name__
                raise Incorrect(f"decoder_inputs should return a list of ids; it returned {what}.") from err
            expected = [bos] + target[:-1]
            if got == expected:
                continue
            if got == target:
                raise Incorrect("That is the target itself: the decoder would read the character it must "
                                "predict. Shift it right by one.")
            if got == [bos] + target:
                raise Incorrect("One too long: the inputs have the target's length; the last target character "
                                "is predicted, never read.")
            if got == target[1:] + [bos] or got == target[1:]:
                raise Incorrect("You shifted left (the future); shift right, so step t reads y_{t-1}.")
            raise Incorrect(f"For a target of {len(target)} ids the inputs should be BOS followed by the target "
                            "without its last id.")


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


def reference_beam_search(step_fn, width, max_len, eos=EOS_TOY):
    beam = [((), 0.0)]
    for _ in range(max_len):
        candidates = []
        for prefix, score in beam:
            if prefix and prefix[-1] == eos:
                candidates.append((prefix, score))  # finished: carried over unchanged
                continue
            logp = step_fn(list(prefix))
            candidates.extend((prefix + (v,), score + float(logp[v])) for v in range(len(logp)))
        beam = sorted(candidates, key=lambda c: -c[1])[:width]
        if all(p and p[-1] == eos for p, _ in beam):
            break
    return beam


class BeamSearch(Exercise):
    title = "Exercise 5 (assignment): beam search from scratch"
    hints = (
        "Keep a list of (prefix, score) pairs, starting with [((), 0.0)]. At each step, extend every unfinished "
        "prefix by every symbol v with score + log p(v | prefix) (from step_fn), carry finished ones (ending in "
        "eos) over unchanged, and keep the `width` best of all these candidates.",
        "Stop after max_len steps, or earlier once every prefix in the beam has ended with eos. Return the beam "
        "sorted best first. Width 1 must give greedy decoding.",
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

    def _check(self, beam_search) -> None:
        found_difference = False
        for seed in range(6):
            for width in (1, 2, 3):
                step_fn = _toy_step_fn(seed)
                expected = reference_beam_search(step_fn, width, 6)
                got = call_learner(beam_search, _toy_step_fn(seed), width, 6)
                try:
                    got = [(tuple(int(i) for i in p), float(s)) for p, s in got]
                except (TypeError, ValueError) as err:
                    raise Incorrect("beam_search should return a list of (prefix, score) pairs, best first.") from err
                if len(got) != len(expected):
                    raise Incorrect(f"With width={width} the final beam should hold {len(expected)} hypotheses; "
                                    f"yours holds {len(got)}.")
                greedy_best = reference_beam_search(_toy_step_fn(seed), 1, 6)[0][0]
                same = [p for p, _ in got] == [p for p, _ in expected]
                if same and np.allclose([s for _, s in got], [s for _, s in expected]):
                    found_difference |= width > 1 and expected[0][0] != greedy_best
                    continue
                scores = [s for _, s in got]
                if scores != sorted(scores, reverse=True):
                    raise Incorrect("Return the beam best first (highest log-probability first).")
                if width > 1 and got[0][0] == greedy_best != expected[0][0]:
                    raise Incorrect(f"With width={width} your best hypothesis is the greedy one, but a wider beam "
                                    "finds a more probable sequence here: rank all extensions of all prefixes "
                                    "together.")
                if any(eos_inside(p) for p, _ in got):
                    raise Incorrect("A hypothesis continues after eos: once a prefix ends with eos, carry it over "
                                    "unchanged instead of extending it.")
                raise Incorrect(f"For the toy model with seed {seed} and width={width} your final beam differs "
                                "from beam search's (prefixes or scores).")
        if not found_difference:  # pragma: no cover - the toy models are chosen so that this never happens
            raise Incorrect("internal: the toy models did not separate beam search from greedy decoding")


def eos_inside(prefix, eos=EOS_TOY) -> bool:
    return eos in prefix[:-1]


ex1 = BeamStep()
ex2 = HardAlignment()
ex3 = AdditiveScore()
ex4 = DecoderInputs()
ex5 = BeamSearch()
