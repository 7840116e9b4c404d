"""Bundled datasets of the classic Keras-LSTM tutorials, loaded through ``lstmcast.data``.

Each dataset is a float64 ``pd.Series`` with its frequency set, validated like any user file.
The files and their sources are listed in ``files/PROVENANCE.md``.

>>> from lstmcast import datasets
>>> airline = datasets.load("airline")
>>> len(airline), airline.index.freqstr
(144, 'MS')
"""

from lstmcast.datasets.bundled import describe, load, names

__all__ = ["describe", "load", "names"]
