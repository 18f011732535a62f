"""The timeline of recurrent networks that the history explorer walks through (chapter 02)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_choice, describe


@dataclass(frozen=True)
class Milestone:
    """One dated step in the history: ``year``, a short ``name``, the ``citation`` (authors, title, venue),
    what it brought (``idea``) and the ``era`` key (see ``ERAS``)."""

    year: int
    name: str
    citation: str
    idea: str
    era: str


ERAS = {
    "perceptron": "1958–1969 · the perceptron and its limits",
    "hopfield": "1982 · Hopfield's associative memory",
    "srn": "1986–1990 · Jordan and Elman networks",
    "learning": "1974–1990 · learning through time: BPTT and RTRL",
    "gates": "1991–2013 · vanishing gradients, LSTM, bidirectional RNNs, CTC, RNN language models, clipping",
    "attention": "2014–2017 · GRU, sequence to sequence, attention, IRNN, unitary RNNs, transformers",
    "linear": "2023–2024 · linear recurrences and state-space models",
}
"""Era key -> label, in chronological order (the eras of ``MILESTONES``)."""


MILESTONES = (
    Milestone(1958, "Perceptron", "F. Rosenblatt, 'The perceptron: a probabilistic model for information storage and "
              "organization in the brain', Psychological Review 65(6), 386–408",
              "a threshold unit that learns its weights from mistakes", "perceptron"),
    Milestone(1969, "Perceptrons (book)", "M. Minsky & S. Papert, 'Perceptrons', MIT Press",
              "what one layer of threshold units cannot compute: XOR, parity, connectedness", "perceptron"),
    Milestone(1974, "Werbos thesis", "P. J. Werbos, 'Beyond regression: new tools for prediction and analysis in the "
              "behavioral sciences', PhD thesis, Harvard University",
              "gradients of any differentiable network by the chain rule, backwards (backpropagation)", "learning"),
    Milestone(1982, "Hopfield network", "J. J. Hopfield, 'Neural networks and physical systems with emergent "
              "collective computational abilities', PNAS 79(8), 2554–2558",
              "memories as energy minima of a symmetric recurrent network; recall by settling", "hopfield"),
    Milestone(1985, "Capacity 0.14 N", "D. J. Amit, H. Gutfreund & H. Sompolinsky, 'Storing infinite numbers of "
              "patterns in a spin-glass model of neural networks', Physical Review Letters 55, 1530–1533",
              "recall breaks down above about 0.14 N stored patterns", "hopfield"),
    Milestone(1986, "Backprop, unrolled in time", "D. E. Rumelhart, G. E. Hinton & R. J. Williams, 'Learning internal "
              "representations by error propagation', in Parallel Distributed Processing, vol. 1, ch. 8, MIT Press",
              "error backpropagation; a recurrent net trained as a feed-forward net unrolled over time", "learning"),
    Milestone(1986, "Jordan network", "M. I. Jordan, 'Serial order: a parallel distributed processing approach', "
              "ICS Report 8604, UC San Diego", "outputs fed back as state: a network that produces sequences", "srn"),
    Milestone(1988, "BPTT on a recurrent model", "P. J. Werbos, 'Generalization of backpropagation with application "
              "to a recurrent gas market model', Neural Networks 1(4), 339–356",
              "backpropagation through the time steps of a recurrent model", "learning"),
    Milestone(1989, "RTRL", "R. J. Williams & D. Zipser, 'A learning algorithm for continually running fully recurrent "
              "neural networks', Neural Computation 1(2), 270–280",
              "exact gradients carried forward in time, online, at O(n⁴) cost per step", "learning"),
    Milestone(1990, "Elman network", "J. L. Elman, 'Finding structure in time', Cognitive Science 14(2), 179–211",
              "hidden state copied back as context; prediction error reveals structure", "srn"),
    Milestone(1990, "BPTT tutorial", "P. J. Werbos, 'Backpropagation through time: what it does and how to do it', "
              "Proceedings of the IEEE 78(10), 1550–1560", "the standard account of BPTT", "learning"),
    Milestone(1991, "Vanishing gradients", "S. Hochreiter, 'Untersuchungen zu dynamischen neuronalen Netzen', "
              "diploma thesis, TU Munich", "error signals shrink or blow up exponentially with the time lag", "gates"),
    Milestone(1994, "Long-term dependencies are hard", "Y. Bengio, P. Simard & P. Frasconi, 'Learning long-term "
              "dependencies with gradient descent is difficult', IEEE Trans. Neural Networks 5(2), 157–166",
              "robust memory and trainability by gradient descent pull against each other", "gates"),
    Milestone(1997, "LSTM", "S. Hochreiter & J. Schmidhuber, 'Long short-term memory', Neural Computation 9(8), "
              "1735–1780 (technical report FKI-207-95, 1995)",
              "a memory cell with a constant error carousel, input and output gates", "gates"),
    Milestone(1997, "Bidirectional RNN", "M. Schuster & K. K. Paliwal, 'Bidirectional recurrent neural networks', IEEE "
              "Trans. Signal Processing 45(11), 2673–2681", "one RNN forward, one backward in time", "gates"),
    Milestone(1999, "Forget gate", "F. A. Gers, J. Schmidhuber & F. Cummins, 'Learning to forget: continual prediction "
              "with LSTM', ICANN 1999, 850–855; Neural Computation 12(10), 2451–2471 (2000)",
              "the LSTM learns to reset its own memory", "gates"),
    Milestone(2006, "CTC", "A. Graves, S. Fernández, F. Gomez & J. Schmidhuber, 'Connectionist temporal "
              "classification: labelling unsegmented sequence data with recurrent neural networks', ICML 2006, 369–376",
              "an RNN trained to label a whole sequence without a frame-by-frame alignment", "gates"),
    Milestone(2010, "RNN language model", "T. Mikolov, M. Karafiát, L. Burget, J. Černocký & S. Khudanpur, "
              "'Recurrent neural network based language model', Interspeech 2010, 1045–1048",
              "an Elman network predicting the next word beats n-gram models on perplexity", "gates"),
    Milestone(2013, "Gradient clipping", "R. Pascanu, T. Mikolov & Y. Bengio, 'On the difficulty of training recurrent "
              "neural networks', ICML 2013, PMLR 28(3), 1310–1318",
              "exploding gradients as cliffs; rescale the gradient when its norm is too large", "gates"),
    Milestone(2014, "GRU", "K. Cho et al., 'Learning phrase representations using RNN encoder–decoder for statistical "
              "machine translation', EMNLP 2014", "a gated unit with two gates and no separate cell", "attention"),
    Milestone(2014, "Attention", "D. Bahdanau, K. Cho & Y. Bengio, 'Neural machine translation by jointly learning to "
              "align and translate', arXiv:1409.0473; ICLR 2015",
              "the decoder looks back at every encoder state", "attention"),
    Milestone(2014, "Sequence to sequence", "I. Sutskever, O. Vinyals & Q. V. Le, 'Sequence to sequence learning with "
              "neural networks', NIPS 2014", "one LSTM reads a sentence into a vector, another writes the translation",
              "attention"),
    Milestone(2015, "IRNN", "Q. V. Le, N. Jaitly & G. E. Hinton, 'A simple way to initialize recurrent networks of "
              "rectified linear units', arXiv:1504.00941",
              "a ReLU RNN started at the identity matrix learns long dependencies", "attention"),
    Milestone(2016, "Unitary RNN", "M. Arjovsky, A. Shah & Y. Bengio, 'Unitary evolution recurrent neural networks', "
              "ICML 2016, PMLR 48, 1120–1128",
              "a recurrent matrix kept unitary, so its products neither grow nor shrink", "attention"),
    Milestone(2017, "Transformer", "A. Vaswani et al., 'Attention is all you need', NeurIPS 2017",
              "attention without recurrence; parallel over time", "attention"),
    Milestone(2023, "LRU", "A. Orvieto et al., 'Resurrecting recurrent neural networks for long sequences', ICML 2023",
              "a linear, diagonal recurrence that trains like a state-space model", "linear"),
    Milestone(2023, "Mamba", "A. Gu & T. Dao, 'Mamba: linear-time sequence modeling with selective state spaces', "
              "arXiv:2312.00752", "a state-space model whose dynamics depend on the input", "linear"),
    Milestone(2024, "minGRU", "L. Feng et al., 'Were RNNs all we needed?', arXiv:2410.01201",
              "gates that read only the input, so training runs as a parallel scan", "linear"),
)
"""The timeline of 02_history.ipynb, in order of year."""


@dataclass(frozen=True)
class EraResult:
    """A result to show for an era: one or more curves and a sentence with the numbers.

    ``series`` maps a label to (x, y), two equal-length 1-D sequences; ``reference`` (optional) is a y value to
    draw as a horizontal line, labelled ``reference_label``; ``vline`` (optional) an x value to draw as a
    vertical line, labelled ``vline_label``. ``viz.plot_era_result`` draws it.
    """

    era: str
    title: str
    summary: str
    series: dict
    xlabel: str
    ylabel: str
    reference: float | None = None
    reference_label: str = ""
    vline: float | None = None
    vline_label: str = ""
    logy: bool = False

    def __post_init__(self):
        check_choice("era", self.era, list(ERAS))
        if not isinstance(self.series, dict) or not self.series:
            raise TypeError(f"series must be a non-empty dict label -> (x, y), got {describe(self.series)}")
        for label, xy in self.series.items():
            pair = isinstance(xy, (tuple, list)) and len(xy) == 2
            if not pair or np.ndim(xy[0]) != 1 or np.shape(xy[0]) != np.shape(xy[1]):
                raise ValueError(f"series[{label!r}] must be (x, y), two 1-D sequences of equal length, "
                                 f"got {describe(xy)}")


ERA_ELSEWHERE = {
    "gates": "chapter 04 measures vanishing gradients, chapter 05 builds the LSTM, chapter 07 bidirectional RNNs",
    "attention": "chapter 06 builds the GRU, chapter 08 compares RNNs with attention and transformers",
    "linear": "chapter 08 compares recurrences with attention; these models are the research frontier",
}
"""Where the course runs the models of an era that this notebook only names."""
