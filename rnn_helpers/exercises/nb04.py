"""Exercises of 04_vanishing_exploding.ipynb: the Jacobian product of a tanh RNN, predicting whether a gradient
vanishes or explodes, how many steps the guarantee needs, and gradient-norm clipping."""

from __future__ import annotations

import math

import numpy as np

from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_array,
    expect_callable,
    expect_close,
    is_blank,
)
from rnn_helpers.gradients import clip_by_norm, jacobian_product, matrix_with_spectral_norm, run_rnn


def _product(factors) -> np.ndarray:
    P = np.eye(factors[0].shape[0])
    for F in factors:
        P = F @ P
    return P


class JacobianProduct(Exercise):
    title = "Exercise 1: the Jacobian product of a tanh RNN"
    write_it_yourself = (jacobian_product,)
    hints = (
        "One step back: J_t = diag(1 - h_t²) W_hh, where h_t is row t-1 of `h`. "
        "`(1 - h[t]**2)[:, None] * W_hh` scales row i of W_hh by 1 - h_t[i]², which is diag(1 - h_t²) W_hh.",
        "Start from P = np.eye(H) and, for t = 1 … T in order, multiply the new factor on the LEFT: P = J_t @ P. "
        "The result is J_T ⋯ J_1.",
    )
    solution_code = """
import numpy as np

def jacobian_product(h, W_hh):
    # h (T, H): the states h_1 … h_T of a tanh RNN; returns ∂h_T/∂h_0 = J_T ⋯ J_1   (H, H)
    P = np.eye(W_hh.shape[0])
    for h_t in h:
        J_t = (1 - h_t**2)[:, None] * W_hh   # diag(1 - h_t²) W_hh
        P = J_t @ P
    return P
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def jacobian_product(h, W_hh):
    P = np.eye(W_hh.shape[0])
    for h_t in h:
        P = P @ ((1 - h_t**2)[:, None] * W_hh)   # new factor on the right
    return P
""",
        """
import numpy as np

def jacobian_product(h, W_hh):
    return np.linalg.matrix_power(W_hh, len(h))   # the tanh derivative left out
""",
        """
from rnn_helpers import gradients

def jacobian_product(h, W_hh):
    return gradients.jacobian_product(h, W_hh)    # the course's own helper
""",
    )

    def _check(self, f) -> None:
        expect_callable(f)
        rng = np.random.default_rng(4)
        for T, H in ((1, 3), (5, 4), (7, 1), (12, 6)):
            W_hh = matrix_with_spectral_norm(H, 1.2, kind="gaussian", seed=int(rng.integers(1000)))
            W_ih = rng.standard_normal((H, 2))
            h = run_rnn(rng.standard_normal((T, 2)), W_ih, W_hh)  # (T, H)
            got = as_array(f(h.copy(), W_hh.copy()), "jacobian_product")
            expected = jacobian_product(h, W_hh)
            case = f"(T = {T}, H = {H})"
            if got.shape != expected.shape:
                raise Incorrect(
                    f"For {case} ∂h_T/∂h_0 should have shape {expected.shape} (H, H); yours has {got.shape}."
                )
            if np.allclose(got, expected, rtol=1e-8, atol=1e-12):
                continue
            d = 1 - h**2
            if T > 1 and H > 1 and np.allclose(got, _product([d[t][:, None] * W_hh for t in reversed(range(T))])):
                raise Incorrect("The factors are multiplied in the wrong order: ∂h_T/∂h_0 = J_T ⋯ J_1, with J_1 on "
                                "the right (multiply each new factor on the left).")
            if H > 1 and np.allclose(got, _product([W_hh * d[t][None, :] for t in range(T)])):
                raise Incorrect("Your step Jacobian is W_hh diag(1 - h_t²); it is diag(1 - h_t²) W_hh: the derivative "
                                "scales the ROWS of W_hh (unit i of h_t), not its columns.")
            if np.allclose(got, np.linalg.matrix_power(W_hh, T)):
                raise Incorrect("Your product leaves out the tanh derivative 1 - h_t² of each step.")
            if np.allclose(got, _product([(1 - np.tanh(h[t]) ** 2)[:, None] * W_hh for t in range(T)])):
                raise Incorrect("h already holds tanh(a_t): the derivative is 1 - h_t², not 1 - tanh(h_t)².")
            expect_close(f"∂h_T/∂h_0 for {case}", got, expected, rtol=1e-8, atol=1e-12)


_FATES = ("vanishes", "explodes", "depends")
_CASES = {
    "a": ("vanishes", "tanh with W_hh = 0.8 Q: λ1 = 0.8 < 1/γ = 1, so ‖∂h_T/∂h_0‖ ≤ 0.8^T whatever the inputs."),
    "b": ("vanishes", "the sigmoid has γ = 1/4, so the threshold is 1/γ = 4: λ1 = 3 < 4 guarantees ≤ (3/4)^T."),
    "c": ("explodes", "with the identity, ∂h_T/∂h_0 = W_hh^T = 1.2^T Q^T, whose norm is exactly 1.2^T."),
    "d": ("depends", "λ1 = 1.5 > 1/γ only makes explosion possible: with weak inputs it grows, with strong inputs "
                     "the units saturate, 1 - h_t² is small, and it vanishes (you measured both in this notebook)."),
}


class PredictFate(Exercise):
    title = "Exercise 2: vanish, explode, or it depends?"
    hints = (
        "Compare λ1 with 1/γ, where γ = max |φ'|: 1 for tanh and the identity, 1/4 for the sigmoid. "
        "Below 1/γ the gradient is guaranteed to vanish.",
        "Above 1/γ explosion is possible, not certain, unless nothing can shrink the product: with the identity, "
        "φ' = 1 and W_hh = 1.2 Q has every singular value equal to 1.2.",
    )
    solution_code = """
answer = {"a": "vanishes", "b": "vanishes", "c": "explodes", "d": "depends"}
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = {"a": "vanishes", "b": "explodes", "c": "explodes", "d": "depends"}',
        'answer = {"a": "vanishes", "b": "vanishes", "c": "depends", "d": "explodes"}',
    )

    def _check(self, answer) -> None:
        if not isinstance(answer, dict):
            raise Incorrect(f"Give a dict like {{'a': 'vanishes', ...}}; you gave {type(answer).__name__}.")
        missing = sorted(set(_CASES) - set(answer))
        if missing:
            raise Incorrect(f"Give an answer for every case; missing: {missing}.")
        for key, (fate, why) in _CASES.items():
            given = answer[key]
            if is_blank(given):
                raise NotAttempted(f"Case {key!r} is still ____.")
            if not isinstance(given, str) or given.strip().lower() not in _FATES:
                raise Incorrect(f"Case {key!r}: answer one of {list(_FATES)}; you gave {given!r}.")
            if given.strip().lower() != fate:
                raise Incorrect(f"Case {key!r} is not {given!r}: {why}")


class StepsToVanish(Exercise):
    title = "Exercise 3: how many steps until the guarantee bites?"
    hints = (
        "With tanh and λ1 = 0.9 the bound is ‖∂h_T/∂h_0‖ ≤ 0.9^T. Find the smallest whole T with 0.9^T < 10⁻³.",
        "Take logarithms: T > ln(10⁻³) / ln(0.9) (dividing by a negative number flips the inequality); "
        "round up: math.ceil(math.log(1e-3) / math.log(0.9)).",
    )
    solution_code = """
import math

answer = math.ceil(math.log(1e-3) / math.log(0.9))   # 0.9^66 ≈ 9.6e-4 < 1e-3, and 0.9^65 ≈ 1.07e-3
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = 65  # rounded down',
        'answer = 10',
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, int | np.integer):
            if isinstance(answer, float) and answer.is_integer():
                answer = int(answer)
            else:
                raise Incorrect(f"Give a whole number of steps; you gave {answer!r}.")
        expected = math.ceil(math.log(1e-3) / math.log(0.9))
        if answer == expected - 1:
            raise Incorrect(f"0.9^{answer} = {0.9 ** answer:.3g} is still above 10⁻³: round up, not down.")
        if answer != expected:
            raise Incorrect(f"0.9^{answer} = {0.9 ** int(answer):.3g}; find the smallest T with 0.9^T < 10⁻³.")


class ClipByNorm(Exercise):
    title = "Exercise 4: gradient-norm clipping"
    write_it_yourself = (clip_by_norm,)
    hints = (
        "First the ONE norm of all the gradients together: ‖g‖ = sqrt(Σ over arrays of (g**2).sum()).",
        "If ‖g‖ > max_norm, multiply EVERY array by max_norm / ‖g‖; otherwise return them unchanged. "
        "Do not clip each array on its own, and never scale a small gradient up.",
    )
    solution_code = """
import numpy as np

def clip_by_norm(grads, max_norm):
    # grads: a list of numpy arrays; returns the list, rescaled so that its total norm is at most max_norm
    norm = np.sqrt(sum((g**2).sum() for g in grads))
    if norm > max_norm:
        return [g * (max_norm / norm) for g in grads]
    return [g.copy() for g in grads]
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def clip_by_norm(grads, max_norm):
    return [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]   # each array on its own
""",
        """
import numpy as np

def clip_by_norm(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads]             # clipping by value
""",
        """
from rnn_helpers import gradients

def clip_by_norm(grads, max_norm):
    return gradients.clip_by_norm(grads, max_norm)[0]                   # the course's own helper
""",
    )

    def _check(self, f) -> None:
        expect_callable(f)
        rng = np.random.default_rng(5)
        cases = [
            ("a large gradient", [rng.normal(0, 5, (3, 4)), rng.normal(0, 5, 4)], 1.0),
            ("a small gradient (no clipping needed)", [rng.normal(0, 0.01, (2, 2)), rng.normal(0, 0.01, 3)], 1.0),
            ("one large and one small array", [np.full((2, 2), 10.0), np.full(3, 0.1)], 2.0),
        ]
        for name, grads, max_norm in cases:
            # the reference: what torch.nn.utils.clip_grad_norm_ (and so train(clip=...)) does, without its 1e-6
            expected, _ = clip_by_norm(grads, max_norm)
            result = f([g.copy() for g in grads], max_norm)
            if is_blank(result):
                raise NotAttempted("clip_by_norm still returns ____.")
            if not isinstance(result, list | tuple) or len(result) != len(grads):
                raise Incorrect(f"Return a list of {len(grads)} arrays, one per gradient; you returned {result!r:.60}.")
            got = [as_array(r, "clip_by_norm") for r in result]
            if all(g.shape == e.shape and np.allclose(g, e, rtol=1e-5, atol=1e-12)
                   for g, e in zip(got, expected, strict=True)):
                continue
            per_array = [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]
            if all(np.allclose(g, p) for g, p in zip(got, per_array, strict=True)):
                raise Incorrect(f"For {name}: you clipped each array by its own norm. Clipping by norm uses ONE norm "
                                "of all the arrays together, so the direction of the whole gradient is kept.")
            if all(np.allclose(g, np.clip(a, -max_norm, max_norm)) for g, a in zip(got, grads, strict=True)):
                raise Incorrect(f"For {name}: that is clipping by value (each entry cut to ±max_norm); "
                                "clipping by norm rescales the whole gradient.")
            total = math.sqrt(sum(float((g**2).sum()) for g in grads))
            if total < max_norm and all(np.allclose(g, a * max_norm / total) for g, a in zip(got, grads, strict=True)):
                raise Incorrect(f"For {name}: you scaled a small gradient UP to norm max_norm; clipping only "
                                "shrinks gradients whose norm is above max_norm.")
            for k, (g, e) in enumerate(zip(got, expected, strict=True)):
                expect_close(f"For {name}, array {k}", g, e, rtol=1e-5, atol=1e-12)


# ------------------------------------------------------------------------------------------ the assignment
def tbptt_task(n_train: int = 8_000, n_test: int = 2_000, streams: int = 16):
    """The assignment's data: the start of *Hamlet* as ``streams`` parallel rows of character ids, for training
    ``(streams, n_train // streams)`` and for testing the text that follows ``(streams, n_test // streams)``
    (int64 tensors), and the vocabulary size V. Introduced in 04_vanishing_exploding.ipynb."""
    import torch

    from rnn_helpers import datasets

    text = datasets.load_shakespeare(["Hamlet"])[: n_train + n_test]
    vocab = datasets.Vocabulary.from_text(text)
    ids = torch.from_numpy(vocab.encode(text).astype(np.int64))
    train = ids[:n_train].reshape(streams, -1)  # row b is one contiguous stretch of the text   (B, N/B)
    test = ids[n_train : n_train + n_test].reshape(streams, -1)
    return train, test, len(vocab)


def carried_loss(model, streams, L: int = 32) -> float:
    """Mean next-character cross-entropy (nats/char) of ``model`` (a ``CharLM``) on ``streams`` (B, N) read in
    chunks of L with the state carried, without gradients. Introduced in 04_vanishing_exploding.ipynb."""
    import torch

    X, Y = streams[:, :-1], streams[:, 1:]
    state, total, count = None, 0.0, 0
    with torch.no_grad():
        for s in range(0, X.shape[1], L):
            logits, state = model(X[:, s : s + L], state)
            total += torch.nn.functional.cross_entropy(logits.transpose(1, 2), Y[:, s : s + L], reduction="sum").item()
            count += Y[:, s : s + L].numel()
    return total / count


class _Recorder:
    """Wraps a CharLM and its optimizer to record what the learner's loop does: the chunks it reads, the state
    each chunk starts from, and whether each update uses the gradient of its own chunk alone."""

    def __init__(self, model, optimizer, streams, L: int):
        import torch

        self.model, self.optimizer, self.torch = model, optimizer, torch
        self.streams, self.L = streams, L
        self.calls: list[dict] = []
        self.steps = 0

    def __call__(self, X, state=None):
        torch = self.torch
        if state is not None and not isinstance(state, torch.Tensor):
            raise Incorrect("The state passed to the model should be the tensor it returned; got "
                            f"{type(state).__name__}.")
        record = {"X": X.detach().clone(), "state_in": None if state is None else state.detach().clone(),
                  "state_in_has_graph": state is not None and state.grad_fn is not None}
        self.inspect(len(self.calls), record)
        logits, state_out = self.model(X, state)
        record["state_out"] = state_out.detach().clone()
        self.calls.append(record)
        return logits, state_out

    def inspect(self, k: int, call: dict) -> None:
        """Chunk k as the loop reads it: the right piece of the streams, starting from the right state."""
        torch, streams, L = self.torch, self.streams, self.L
        X = call["X"]
        if X.ndim != 2 or X.shape[0] != streams.shape[0]:
            raise Incorrect("Each chunk should hold every stream (all B rows), L steps of each: streams[:, s:s+L].")
        s = k * L
        if s >= streams.shape[1] or not torch.equal(X, streams[:, s : s + X.shape[1]]):
            raise Incorrect(f"Chunk {k} is not streams[:, {s}:{s + L}]: read the streams in order, L steps at a "
                            "time, so that each chunk continues where the previous one ended.")
        if k == 0:
            if call["state_in"] is not None and call["state_in"].abs().max() > 0:
                raise Incorrect("The first chunk should start from no state (None, or zeros).")
            return
        if call["state_in"] is None or not torch.allclose(call["state_in"], self.calls[k - 1]["state_out"]):
            raise Incorrect(f"Chunk {k} does not start from the state chunk {k - 1} ended in: carry the state "
                            "(logits, state = model(X, state)) instead of starting each chunk afresh.")
        if call["state_in_has_graph"]:
            raise Incorrect("The state you carry still holds the previous chunk's graph: detach it "
                            "(state = state.detach()) right after the forward pass.")

    def parameters(self):
        return self.model.parameters()

    def zero_grad(self, *args, **kwargs):
        return self.model.zero_grad(*args, **kwargs)

    def train(self, mode=True):
        self.model.train(mode)
        return self

    def eval(self):
        self.model.eval()
        return self

    def step(self):
        """Before the update: is the gradient that of the last chunk's loss alone (up to a common scale, for
        clipping)? A gradient that kept the previous chunks' (no zero_grad) is not."""
        torch = self.torch
        last = self.calls[-1]
        X = last["X"]
        params = [p for p in self.model.parameters()]
        got = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in params]
        with torch.enable_grad():
            logits, _ = self.model(X, last["state_in"])
            target = self.targets_for(X)
            if target is not None:
                loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))
                fresh = torch.autograd.grad(loss, params)
                g, f = torch.cat([t.flatten() for t in got]), torch.cat([t.flatten() for t in fresh])
                cosine = float(g @ f / (g.norm() * f.norm() + 1e-30))
                if cosine < 0.999:
                    raise Incorrect("The gradient used for an update is not the gradient of its own chunk's loss: "
                                    "either the loss does not compare with the NEXT characters (Y = X shifted by "
                                    "one), or the gradients of earlier chunks pile up (call optimizer.zero_grad() "
                                    "before backward).")
        self.steps += 1
        self.optimizer.step()

    targets_for = staticmethod(lambda X: None)  # set by the checker: the true next characters of a chunk


class TruncatedBPTT(Exercise):
    title = "Exercise 5 (assignment): truncated BPTT, state carried and detached, to a target loss"
    L, hidden, lr, passes = 25, 48, 2e-2, 3
    # nats/char on the held-out text after the passes: the reference reaches 2.43-2.45 (seeds 0-2), an untrained
    # model scores 4.2, and one that never steps stays there
    target = 2.6
    hints = (
        "Walk along the streams in chunks: X = streams[:, s:s+L] and its targets Y = streams[:, s+1:s+L+1], for "
        "s = 0, L, 2L, … while there is a next character. Start with state = None and pass the state the model "
        "returned for one chunk into the next: logits, state = model(X, state).",
        "Right after the forward pass, state = state.detach(): the next chunk starts from its value but the "
        "gradient stops there. Then the usual three steps on the loss of this chunk: optimizer.zero_grad(), "
        "loss.backward(), optimizer.step(). The loss is the cross-entropy of logits (B, L, V) against Y (B, L).",
    )
    solution_code = """
import torch
import torch.nn.functional as F

def train_tbptt(model, optimizer, streams, L):
    # one pass over streams (B, N) in chunks of L; returns the loss of every chunk
    state, losses = None, []
    for s in range(0, streams.shape[1] - 1, L):
        X, Y = streams[:, s : s + L], streams[:, s + 1 : s + L + 1]    # (B, L) each; Y is X shifted by one
        X = X[:, : Y.shape[1]]                                         # the last chunk may be shorter
        # forward, from where the previous chunk ended
        logits, state = model(X, state)                                # (B, L, V)
        state = state.detach()                                         # keep the value, cut the graph
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y.reshape(-1))
        # backward, within this chunk only
        optimizer.zero_grad()
        loss.backward()
        # update
        optimizer.step()
        losses.append(loss.item())
    return losses
"""
    mistakes = (
        solution_code.replace("state = state.detach()  ", "pass  "),
        solution_code.replace("logits, state = model(X, state)", "logits, state = model(X, None)"),
        solution_code.replace("F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y.reshape(-1))",
                              "F.cross_entropy(logits.reshape(-1, logits.shape[-1]), X.reshape(-1))"),
        solution_code.replace("        optimizer.zero_grad()\n", ""),
        solution_code.replace("        optimizer.step()\n", ""),
    )

    def _check(self, train_tbptt) -> None:
        import torch

        from rnn_helpers.models import CharLM

        expect_callable(train_tbptt)
        train, test, V = tbptt_task()
        L = self.L
        torch.manual_seed(0)
        model = CharLM(V, self.hidden, cell="rnn")
        optimizer = torch.optim.Adam(model.parameters(), lr=self.lr)
        recorder = _Recorder(model, optimizer, train, L)
        recorder.targets_for = self._targets(train, L)
        for _ in range(self.passes):
            try:
                losses = train_tbptt(recorder, recorder, train.clone(), L)
            except RuntimeError as err:
                if "backward through the graph a second time" in str(err):
                    raise Incorrect("backward() tried to go back into the previous chunk, whose graph is gone: "
                                    "detach the state after each forward pass (state = state.detach()).") from err
                raise
            if is_blank(losses):
                raise NotAttempted("train_tbptt still returns ____.")
            self._after_pass(recorder, train, L, losses)
            recorder.calls.clear()
        loss = carried_loss(model, test, L)
        if loss > self.target:
            raise Incorrect(f"After {self.passes} passes your model's held-out loss is {loss:.2f} nats/char; the "
                            f"target is {self.target}. Check the loss (targets shifted by one), zero_grad, backward "
                            "and step.")

    @staticmethod
    def _targets(streams, L):
        import torch

        starts = {}
        for s in range(0, streams.shape[1] - 1, L):
            starts[s] = streams[:, s + 1 : s + L + 1]

        def targets_for(X):
            for s, Y in starts.items():
                if X.shape[1] == Y.shape[1] and torch.equal(X, streams[:, s : s + X.shape[1]]):
                    return Y
            return None

        return targets_for

    @staticmethod
    def _after_pass(recorder, streams, L, losses) -> None:
        n_chunks = len(range(0, streams.shape[1] - 1, L))
        if abs(len(recorder.calls) - n_chunks) > 1:
            raise Incorrect(f"With N = {streams.shape[1]} steps and L = {L} there are {n_chunks} chunks; your loop ran "
                            f"the model {len(recorder.calls)} times. Step through the streams L at a time.")
        if recorder.steps == 0:
            raise Incorrect("Your loop never updates the weights: call optimizer.step() after loss.backward().")
        if not isinstance(losses, list | tuple) or len(losses) != len(recorder.calls):
            raise Incorrect("Return the list of the chunk losses (one number per chunk).")

ex1 = JacobianProduct()
ex2 = PredictFate()
ex3 = StepsToVanish()
ex4 = ClipByNorm()
ex5 = TruncatedBPTT()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "tbptt_task", "carried_loss"]
