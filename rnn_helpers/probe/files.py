"""The pretrained character model shipped in data/, and saving and loading a ``CharLM`` with its vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rnn_helpers._checks import describe

# The pretrained model shipped in data/, its size in bytes and its SHA-256 (checked on every load) and the
# format tag that save_charlm writes and load_charlm expects.
PRETRAINED_FILE = "charlm_python_lstm.pt"


FORMAT = "rnn_helpers.charlm/1"


def python_vocabulary():
    """The 96 characters of the pretrained model: newline and printable ASCII (space to ``~``).

    Any other character (a tab, ``é``, ``–``) is read as ``?``, the vocabulary's ``unk_token``.
    Returns a ``datasets.Vocabulary``. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers.datasets import Vocabulary

    return Vocabulary(["\n", *map(chr, range(32, 127))], unk_token="?")


def save_charlm(model, vocab, path, *, info: dict | None = None) -> Path:
    """Save a ``models.CharLM`` and its vocabulary to ``path`` in a form ``torch.load(weights_only=True)``
    reads back: a dict of the tokens, the architecture, ``info`` (str/int/float values) and the state_dict.

    Returns the path. Introduced in 09_hidden_state_lab.ipynb.
    """
    import torch

    from rnn_helpers.datasets import Vocabulary
    from rnn_helpers.models import CharLM

    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a models.CharLM, got {describe(model)}")
    if getattr(model, "embedding", None) is not None:
        raise ValueError("model must read one-hot characters (a CharLM built without embedding_dim), got one with "
                         f"an embedding of {model.embedding.embedding_dim} dimensions")
    if not isinstance(vocab, Vocabulary) or vocab.level != "char" or len(vocab) != model.vocab_size:
        raise ValueError(
            f"vocab must be a character Vocabulary with {model.vocab_size} tokens (the model's vocab_size), "
            f"got {describe(vocab)}"
        )
    info = dict(info or {})
    for key, value in info.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, str | int | float):
            raise TypeError(f"info must map strings to str, int or float values, got {key!r}: {describe(value)}")
        # plain types only (torch.__version__ is a str subclass, np.float64 a float one): weights_only loads them
        info[key] = str(value) if isinstance(value, str) else int(value) if isinstance(value, int) else float(value)
    path = Path(path)
    rnn = model.rnn
    torch.save(
        {
            "format": FORMAT,
            "tokens": list(vocab.tokens),
            "unk_token": vocab.unk_token,
            "cell": type(rnn).__name__.lower(),
            "hidden_size": rnn.hidden_size,
            "num_layers": rnn.num_layers,
            "info": info,
            "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
        },
        path,
    )
    return path


@dataclass
class CharLMBundle:
    """A character language model ready to probe: ``model`` (a ``models.CharLM`` in eval mode), its
    ``vocab`` (a ``datasets.Vocabulary``) and ``info`` (how it was trained: a dict of str/int/float).

    What ``load_pretrained`` and ``load_charlm`` return. Introduced in 09_hidden_state_lab.ipynb.
    """

    model: object
    vocab: object
    info: dict


def load_charlm(path) -> CharLMBundle:
    """Load a model saved by ``save_charlm`` with ``torch.load(path, weights_only=True)``.

    No checksum (the file is yours); ``load_pretrained`` checks the shipped one. Raises ``FileNotFoundError``
    for a missing file and ``ValueError`` for a file that is not a saved CharLM.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    import torch

    from rnn_helpers.datasets import Vocabulary
    from rnn_helpers.models import CharLM

    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a str or a pathlib.Path, got {describe(path)}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved model at {path}")
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a damaged zip, or not a torch file at all
        raise ValueError(f"{path} is not a model saved by probe.save_charlm ({type(err).__name__}: {err})") from err
    needed = {"format", "tokens", "unk_token", "cell", "hidden_size", "num_layers", "info", "state_dict"}
    if not isinstance(saved, dict) or saved.get("format") != FORMAT or not needed <= set(saved):
        raise ValueError(f"{path} is not a model saved by probe.save_charlm (format {FORMAT!r})")
    vocab = Vocabulary(saved["tokens"], unk_token=saved["unk_token"])
    model = CharLM(len(vocab), saved["hidden_size"], cell=saved["cell"], num_layers=saved["num_layers"])
    model.load_state_dict(saved["state_dict"])
    model.eval()
    return CharLMBundle(model, vocab, dict(saved["info"]))


def load_pretrained(data_dir=None) -> CharLMBundle:
    """The two-layer character LSTM (hidden size 128) trained on Python source, shipped in data/.

    Checks the file's size and SHA-256 first: a missing file raises ``FileNotFoundError`` and a damaged
    one ``datasets.DataFileError``, each naming the file and how to restore it. ``data_dir``: the folder
    holding it (default: the repository's data/). Made by tools/train_pretrained.py; data/README.md records
    the command, the seed, the steps and the validation loss. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers.datasets import default_data_dir, verify_data_file

    if data_dir is not None and not isinstance(data_dir, str | Path):
        raise TypeError(f"data_dir must be None, a str or a pathlib.Path, got {describe(data_dir)}")
    verify_data_file(PRETRAINED_FILE, data_dir)  # size and SHA-256, as for every file of data/
    path = (default_data_dir() if data_dir is None else Path(data_dir)) / PRETRAINED_FILE
    return load_charlm(path)
