"""Labelled sequences for classification: many short series, one class label each.

Sequence classification (which activity a watch recorded, which speaker said a vowel) learns from
many cases, each a short multichannel series with one label, rather than from one long series.
``Sequences`` holds such data as NumPy arrays, the cases free to differ in length but not in
channels; ``load_ts`` reads the ``.ts`` files of the UEA/UCR archive as sktime and aeon write
them, ``load_sequences_csv`` a long CSV with one row per case and time step. Like the rest of
this package they never guess: a file that contradicts its own header, a case with a channel
short or a label too many, a missing value without ``missing="interpolate"``, each raises a
``DataFileError`` naming the file, the case and the line to fix.

A ``.ts`` file is a header, then ``@data`` and one case per line::

    # comments, anywhere before @data
    @problemName BasicMotions
    @timeStamps false
    @missing false
    @univariate false
    @dimensions 2
    @equalLength true
    @seriesLength 3
    @classLabel true Standing Running
    @data
    0.1,0.2,0.3:1.5,1.4,1.1:Standing

Channels are separated by ``:``, the values of a channel by ``,``, and the class label follows the
last ``:`` when ``@classLabel`` is true. ``?`` and ``NaN`` mark a missing value.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lstmcast._checks import finite_array, one_of, positive_int
from lstmcast.data.files import file_path, unreadable
from lstmcast.errors import DataFileError, InvalidInputError

__all__ = ["Sequences", "load_sequences_csv", "load_ts"]

_MISSING_POLICIES = ("error", "interpolate")
_MISSING_MARKERS = ("?", "nan")  # in lower case; a CSV's empty field is missing too

# The header keywords of a .ts file, in lower case, as sktime and aeon spell them.
_TS_KEYWORDS = {
    "problemname": "@problemName",
    "timestamps": "@timeStamps",
    "missing": "@missing",
    "univariate": "@univariate",
    "dimension": "@dimensions",  # both spellings occur; one entry
    "dimensions": "@dimensions",
    "equallength": "@equalLength",
    "serieslength": "@seriesLength",
    "classlabel": "@classLabel",
    "targetlabel": "@targetLabel",
}


@dataclass(frozen=True)
class Sequences:
    """Sequences for classification: many cases, one label each.

    The arrays are checked and copied on construction: every value is a finite number, so a model
    never meets a NaN.

    Attributes
    ----------
    X : list of numpy.ndarray
        ``X[i]`` is case ``i`` as a ``(time, channels)`` float64 array (cases may differ in
        length, never in channels).
    y : numpy.ndarray or None
        One label per case (a NumPy object array, labels as read: strings from a ``.ts`` file or
        a CSV), or ``None`` for unlabelled data.
    case_ids : numpy.ndarray
        Names each case: its number in a ``.ts`` file (0-based, file order) or the CSV's case id.
    name : str, optional
        A ``.ts`` file's ``@problemName``.
    class_labels : tuple of str, optional
        The labels a ``.ts`` file's ``@classLabel`` declares, in the file's order (a model's
        classes, even those no case of this file has).
    lines : numpy.ndarray, optional
        The 1-based line of each case in its file, so that code further down can point at the
        line to fix.
    """

    X: list[np.ndarray]
    y: np.ndarray | None
    case_ids: np.ndarray
    name: str | None = None
    class_labels: tuple[str, ...] | None = None
    lines: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.X, (list, tuple, np.ndarray)):
            raise InvalidInputError(
                f"X must be a list of (time, channels) arrays, one per case; got {type(self.X).__name__}"
            )
        cases = [finite_array(case, f"X[{i}]", min_size=1) for i, case in enumerate(self.X)]
        if not cases:
            raise InvalidInputError("X holds no cases; a Sequences needs at least one")
        for i, case in enumerate(cases):
            if case.ndim != 2:
                raise InvalidInputError(
                    f"X[{i}] must be one case as a (time, channels) array, got shape {case.shape}; "
                    "a univariate case of n values is values.reshape(n, 1)"
                )
            if case.shape[1] != cases[0].shape[1]:
                raise InvalidInputError(
                    f"X[{i}] has {case.shape[1]} channels but X[0] has {cases[0].shape[1]}; every "
                    "case must have the same channels (lengths may differ)"
                )
        object.__setattr__(self, "X", cases)
        object.__setattr__(self, "y", None if self.y is None else _object_array(self.y, "y", len(cases)))
        object.__setattr__(self, "case_ids", _case_ids(self.case_ids, len(cases)))
        if self.lines is not None:
            lines = np.asarray(self.lines)
            if lines.shape != (len(cases),) or lines.dtype.kind not in "iu":
                raise InvalidInputError(
                    f"lines must hold one whole line number per case ({len(cases)}), got shape "
                    f"{lines.shape} of dtype {lines.dtype}; pass None when the cases come from no file"
                )
            object.__setattr__(self, "lines", lines.astype(np.int64))
        if self.class_labels is not None:
            labels = tuple(self.class_labels)
            object.__setattr__(self, "class_labels", labels)
            unknown = [] if self.y is None else [label for label in self.y if label not in labels]
            if unknown:
                raise InvalidInputError(
                    f"y holds the label {unknown[0]!r}, which is not among class_labels {labels}; "
                    "add it to class_labels, or pass class_labels=None"
                )

    @property
    def n_channels(self) -> int:
        """The number of channels every case has."""
        return int(self.X[0].shape[1])

    @property
    def lengths(self) -> np.ndarray:
        """The number of time steps of each case."""
        return np.array([len(case) for case in self.X], dtype=np.int64)

    @property
    def equal_length(self) -> bool:
        """Whether every case has the same number of time steps."""
        return bool((self.lengths == len(self.X[0])).all())

    def __len__(self) -> int:
        return len(self.X)

    def to_array(self, length: int | None = None) -> np.ndarray:
        """The cases as one ``(cases, time, channels)`` float64 array, each zero-padded at its end
        to ``length`` time steps (default: the longest case's).

        A case longer than ``length`` is an error rather than cut short, since cutting would drop
        the part of the series that may decide its class.
        """
        lengths = self.lengths
        length = int(lengths.max()) if length is None else positive_int(length, "length")
        longer = np.flatnonzero(lengths > length)
        if longer.size:
            case = int(longer[0])
            raise InvalidInputError(
                f"{self._describe(case)} has {lengths[case]} time steps, more than length={length} "
                f"({longer.size} case(s) do); pass length >= {lengths.max()} (the longest case), or "
                "shorten the cases first"
            )
        array = np.zeros((len(self.X), length, self.n_channels))
        for i, case in enumerate(self.X):
            array[i, : len(case)] = case
        return array

    def __eq__(self, other: object) -> bool:
        """Equal cases (values, not identity), labels, ids, name, class labels and lines."""
        if not isinstance(other, Sequences):
            return NotImplemented
        return (
            len(self.X) == len(other.X)
            and all(_same(a, b) for a, b in zip(self.X, other.X))
            and _same(self.y, other.y)
            and _same(self.case_ids, other.case_ids)
            and self.name == other.name
            and self.class_labels == other.class_labels
            and _same(self.lines, other.lines)
        )

    __hash__ = None  # type: ignore[assignment]  # holds arrays: not hashable

    def __repr__(self) -> str:
        lengths = self.lengths
        length = f"length={lengths[0]}" if self.equal_length else f"lengths={lengths.min()}..{lengths.max()}"
        labels = "unlabelled" if self.y is None else f"classes={len(set(self.y.tolist()))}"
        name = f"{self.name!r}, " if self.name is not None else ""
        return f"Sequences({name}cases={len(self)}, channels={self.n_channels}, {length}, {labels})"

    def _describe(self, case: int) -> str:
        line = f", line {self.lines[case]}" if self.lines is not None else ""
        return f"case {case} (id {self.case_ids.tolist()[case]!r}{line})"


def load_ts(path: str | os.PathLike, *, missing: str = "error") -> Sequences:
    """Read a ``.ts`` file of the UEA/UCR archive (as sktime and aeon write it) as ``Sequences``.

    The header (``@problemName``, ``@univariate``, ``@dimensions``, ``@equalLength``,
    ``@seriesLength``, ``@classLabel``...) is checked against the data: a case with another number
    of channels or another length than declared, or a label not in ``@classLabel``, is an error,
    not a surprise inside training. Time stamps (``@timeStamps true``) are not supported yet.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.ts`` file.
    missing : {"error", "interpolate"}, default "error"
        What to do with values marked ``?`` or ``NaN``: ``"error"`` raises; ``"interpolate"``
        fills each channel's gaps linearly between observed neighbours and its ends with the
        nearest observed value.

    Returns
    -------
    Sequences
        ``y`` holds the labels as strings (``None`` with ``@classLabel false``), ``case_ids`` the
        cases' 0-based numbers, ``lines`` their lines.

    Raises
    ------
    DataFileError
        Naming the case and line of what to fix.
    InvalidInputError
        A bad argument.
    """
    missing = one_of(missing, _MISSING_POLICIES, "missing")
    path = file_path(path)
    try:
        with open(path, encoding="utf-8-sig") as file:  # universal newlines: \r\n and \r end lines too
            lines = file.read().split("\n")
    except (OSError, UnicodeDecodeError) as error:
        raise unreadable(path, error, "a .ts file") from None
    header, data_line = _ts_header(path, lines)
    labels = _ts_class_labels(path, header)
    channels = _ts_channels(path, header)
    length, equal_length = _ts_length(path, header)
    cases, y, numbers = [], [], []
    for number in range(data_line + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if not text:
            continue
        where = f"case {len(cases)} (line {number} of {path})"
        fields = text.split(":")
        if labels is not None:
            y.append(_ts_label(fields, labels, where))
            fields = fields[:-1]
        elif len(fields) > 1 and _looks_like_label(fields[-1]):
            raise DataFileError(
                f"{where} ends with {fields[-1].strip()!r} after its last ':', which looks like a class "
                "label, but the header declares none; declare the labels with a header line "
                "'@classLabel true LABEL1 LABEL2 ...', or remove them from the cases"
            )
        values = _ts_case(fields, where, unlabelled=labels is None)
        first = f"case 0 (line {number}) has"  # who sets the count when the header does not
        channels = _check_count(values.shape[1], channels, where, first, "channels", _OTHER_CHANNELS)
        if equal_length:
            length = _check_count(len(values), length, where, first, "time steps", _OTHER_LENGTH)
        cases.append(_fill_gaps(values, missing, where, [str(c) for c in range(values.shape[1])]))
        numbers.append(number)
    if not cases:
        raise DataFileError(
            f"{path} has no cases after @data (line {data_line}); add one case per line after it, "
            "or check that this is the right file"
        )
    name = header.get("problemname", ("", 0))[0] or None
    return Sequences(
        X=cases,
        y=None if labels is None else np.array(y, dtype=object),
        case_ids=np.arange(len(cases)),
        name=name,
        class_labels=labels,
        lines=np.array(numbers, dtype=np.int64),
    )


def load_sequences_csv(
    path: str | os.PathLike,
    *,
    case_col: Hashable = "case_id",
    time_col: Hashable = "t",
    label_col: Hashable | None = "label",
    channels: Sequence[Hashable] | None = None,
    sep: str = ",",
    missing: str = "error",
) -> Sequences:
    """Read sequences from a long CSV file: one row per case and time step, as
    ``case_id, t, <channels...>, label``.

    Cases come in the order of their first row in the file; labels are read as text, as from a
    ``.ts`` file, so that the same data gives the same ``Sequences`` from either format.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    case_col : hashable, default "case_id"
        The column of case ids (numbers or names).
    time_col : hashable, default "t"
        The time of each row (numbers or dates; the rows of a case may come in any order and are
        sorted by it).
    label_col : hashable or None, default "label"
        The case's label, the same on every row of a case; ``None`` for unlabelled data (``y``
        is then ``None``).
    channels : sequence of hashable, optional
        The value columns (default: every other column).
    sep : str, default ","
        The field separator.
    missing : {"error", "interpolate"}, default "error"
        What to do with an empty field, ``?`` or ``NaN`` in a channel: ``"error"`` raises;
        ``"interpolate"`` fills each channel of a case linearly, its ends with the nearest
        observed value.

    Returns
    -------
    Sequences

    Raises
    ------
    DataFileError
        Naming the case and the line of the CSV to fix (the header is line 1).
    InvalidInputError
        A bad argument.
    """
    missing = one_of(missing, _MISSING_POLICIES, "missing")
    path = file_path(path)
    roles = [case_col, time_col] + ([] if label_col is None else [label_col])
    if len(set(roles)) != len(roles):
        raise InvalidInputError(
            f"case_col={case_col!r}, time_col={time_col!r} and label_col={label_col!r} must name different columns"
        )
    if channels is not None:
        if isinstance(channels, str) or not isinstance(channels, (list, tuple)) or not channels:
            raise InvalidInputError(
                f"channels must be a non-empty list of column names, e.g. channels=['x'], got {channels!r}; "
                "or None for every column besides the case, time and label columns"
            )
        taken = [column for column in channels if column in roles]
        if taken:
            raise InvalidInputError(f"channels lists {taken[0]!r}, which is the case, time or label column")
    if not isinstance(sep, str) or not sep:
        raise InvalidInputError(f"sep must be the field separator, such as ',' or ';', got {sep!r}")
    frame = _read_text_table(path, sep)
    columns = list(frame.columns)
    absent = [column for column in [*roles, *(channels or [])] if column not in columns]
    if absent:
        split = f" (split at sep={sep!r}; pass the file's separator)" if len(columns) == 1 else ""
        raise DataFileError(
            f"{path} has no column {', '.join(map(repr, absent))}; its columns are {columns}{split}; "
            "name the right ones with case_col=, time_col=, label_col= (None for unlabelled data) "
            "and channels="
        )
    channels = list(channels) if channels is not None else [c for c in columns if c not in roles]
    if not channels:
        raise DataFileError(f"{path} has no channel columns besides {roles}; its columns are {columns}")
    rows = _CsvRows(path, frame, case_col)
    times = rows.times(time_col)
    values = np.column_stack([rows.numbers(column) for column in channels])
    labels = None if label_col is None else rows.labels(label_col)
    cases, y, lines = [], [], []
    for case_id, members in rows.cases():  # members: the case's rows in file order
        where = f"case {case_id!r} (first row at line {rows.line[members[0]]} of {path})"
        if labels is not None:
            changed = np.flatnonzero(labels[members] != labels[members[0]])
            if changed.size:
                row = members[changed[0]]
                raise DataFileError(
                    f"{where} has the label {labels[members[0]]!r} but {labels[row]!r} at line "
                    f"{rows.line[row]}; a case has one label: fix the file (or give the rows "
                    "different case ids if they are different cases)"
                )
            y.append(labels[members[0]])
        members = members[np.argsort(times[members], kind="stable")]
        repeated = np.flatnonzero(times[members][1:] == times[members][:-1])
        if repeated.size:
            first, again = members[repeated[0]], members[repeated[0] + 1]
            raise DataFileError(
                f"{where} has the time {frame[time_col].iloc[first]!r} twice, at lines "
                f"{rows.line[first]} and {rows.line[again]}; remove the repeat, or give the rows "
                "different case ids if they are different cases"
            )
        cases.append(_fill_gaps(values[members], missing, where, channels, rows.line[members]))
        lines.append(rows.line[members].min())
    return Sequences(
        X=cases,
        y=None if labels is None else np.array(y, dtype=object),
        case_ids=rows.ids,
        lines=np.array(lines, dtype=np.int64),
    )


# --- shared by both readers ----------------------------------------------------------------------


def _fill_gaps(
    values: np.ndarray,
    missing: str,
    where: str,
    channel_names: list,
    step_lines: np.ndarray | None = None,
) -> np.ndarray:
    """One case's ``(time, channels)`` values with its NaN handled by the ``missing`` policy.

    ``"error"`` raises, naming the first gap (its line when each step has its own, else its time
    step); ``"interpolate"`` fills each channel linearly between observed neighbours and holds its
    ends at the nearest observed value. A channel with no value at all is an error either way.
    """
    gaps = np.isnan(values)
    if not gaps.any():
        return values
    if missing == "error":
        step, channel = (int(i) for i in np.argwhere(gaps)[0])
        at = f"line {step_lines[step]}" if step_lines is not None else f"time step {step} (from 0)"
        raise DataFileError(
            f"{where} has {int(gaps.sum())} missing value(s), the first in channel "
            f"{channel_names[channel]} at {at}; pass missing='interpolate' to fill them linearly "
            "(the ends with the nearest value), or fill them in the file"
        )
    steps = np.arange(len(values))
    filled = values.copy()
    for c in range(values.shape[1]):
        known = ~gaps[:, c]
        if not known.any():
            raise DataFileError(
                f"{where} has no value at all in channel {channel_names[c]}, only missing ones; "
                "there is nothing to interpolate from: fill them in or remove the case"
            )
        filled[gaps[:, c], c] = np.interp(steps[gaps[:, c]], steps[known], values[known, c])
    return filled


_OTHER_CHANNELS = "every case must have the same channels; fix the case, or the header"
_OTHER_LENGTH = "fix the case, or write '@equalLength false' (and no @seriesLength) if the cases differ in length"


def _check_count(
    found: int, expected: tuple[int, str] | None, where: str, first: str, kind: str, fix: str
) -> tuple[int, str]:
    """Check a case's count of channels (or time steps) against what the header or the first case
    set: ``expected`` is that count and who set it (``"@dimensions (line 8) says"``), or ``None``
    when nothing has yet, and then this case sets it, as ``first``. Returns the count to expect."""
    if expected is None:
        return found, first
    count, source = expected
    if found != count:
        raise DataFileError(f"{where} has {found} {kind}, but {source} {count}; {fix}")
    return expected


# --- .ts ------------------------------------------------------------------------------------------


def _ts_header(path: str | os.PathLike, lines: list[str]) -> tuple[dict[str, tuple[str, int]], int]:
    """The header's entries, ``{keyword in lower case: (value, line)}``, and the line of @data."""
    entries: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if not text.startswith("@"):
            raise DataFileError(
                f"line {number} of {path} comes before @data but is neither a comment (#...) nor a "
                f"header line (@...): {text[:40]!r}; the header must end with a line '@data', "
                "followed by one case per line"
            )
        word, value = (text[1:].split(maxsplit=1) + ["", ""])[:2]
        keyword = word.lower()
        if keyword == "data":
            return entries, number
        if keyword not in _TS_KEYWORDS:
            raise DataFileError(
                f"line {number} of {path}: unknown header '@{word}'; a .ts header knows "
                f"{', '.join(sorted(set(_TS_KEYWORDS.values())))} and @data"
            )
        keyword = "dimensions" if keyword == "dimension" else keyword
        if keyword in entries:
            raise DataFileError(
                f"line {number} of {path} repeats {_TS_KEYWORDS[keyword]} (first at line "
                f"{entries[keyword][1]}); keep one"
            )
        entries[keyword] = (value.strip(), number)
    if not any(line.strip() for line in lines):
        raise DataFileError(
            f"{path} is empty; expected a .ts file: header lines such as '@problemName NAME' and "
            "'@classLabel true A B', then '@data' and one case per line"
        )
    raise DataFileError(
        f"{path} has no @data line; a .ts file's header must end with a line '@data', followed by "
        "one case per line (is it really a .ts file?)"
    )


def _ts_flag(path: str | os.PathLike, header: dict, keyword: str) -> bool | None:
    """A true/false header entry (its first word), or ``None`` when the header has none."""
    if keyword not in header:
        return None
    value, number = header[keyword]
    word = value.split()[0].lower() if value else ""
    if word not in ("true", "false"):
        raise DataFileError(
            f"line {number} of {path}: {_TS_KEYWORDS[keyword]} must be followed by true or false, got {value!r}"
        )
    return word == "true"


def _ts_number(path: str | os.PathLike, header: dict, keyword: str) -> int | None:
    """A whole-number header entry (>= 1), or ``None`` when the header has none."""
    if keyword not in header:
        return None
    value, number = header[keyword]
    if not value.isdigit() or int(value) < 1:
        raise DataFileError(
            f"line {number} of {path}: {_TS_KEYWORDS[keyword]} must be followed by a whole number >= 1, got {value!r}"
        )
    return int(value)


def _ts_class_labels(path: str | os.PathLike, header: dict) -> tuple[str, ...] | None:
    """The labels ``@classLabel true`` declares, or ``None`` for unlabelled data."""
    if _ts_flag(path, header, "timestamps"):
        raise DataFileError(
            f"{path} has time stamps (@timeStamps true, line {header['timestamps'][1]}), which "
            "lstmcast does not support yet; convert the cases to plain values (v1,v2,... per "
            "channel, equally spaced) and write '@timeStamps false'"
        )
    if _ts_flag(path, header, "targetlabel"):
        raise DataFileError(
            f"{path} is a regression problem (@targetLabel true, line {header['targetlabel'][1]}): "
            "its cases end with a number to predict, not a class; load_ts reads classification "
            "data, whose header says '@classLabel true LABEL1 LABEL2 ...'"
        )
    if not _ts_flag(path, header, "classlabel"):
        return None
    value, number = header["classlabel"]
    labels = tuple(value.split()[1:])
    if not labels:
        raise DataFileError(
            f"line {number} of {path}: '@classLabel true' must list the class labels, as in "
            "'@classLabel true Standing Running'; or write '@classLabel false' for unlabelled data"
        )
    return labels


def _ts_channels(path: str | os.PathLike, header: dict) -> tuple[int, str] | None:
    """The number of channels the header declares, and where: ``None`` if it declares none."""
    univariate = _ts_flag(path, header, "univariate")
    dimensions = _ts_number(path, header, "dimensions")
    if dimensions is not None:
        if univariate and dimensions != 1:
            raise DataFileError(
                f"{path} says both '@univariate true' (line {header['univariate'][1]}) and "
                f"'@dimensions {dimensions}' (line {header['dimensions'][1]}); fix one of them"
            )
        return dimensions, f"@dimensions (line {header['dimensions'][1]}) says"
    if univariate:
        return 1, f"@univariate true (line {header['univariate'][1]}) says"
    return None


def _ts_length(path: str | os.PathLike, header: dict) -> tuple[tuple[int, str] | None, bool]:
    """The length every case must have and where it is declared (``None``: the first case's), and
    whether the cases must have one length at all: with ``@equalLength true``, or with a
    ``@seriesLength`` and no ``@equalLength false``."""
    equal = _ts_flag(path, header, "equallength")
    length = _ts_number(path, header, "serieslength")
    if equal is False:
        return None, False
    if length is not None:
        return (length, f"@seriesLength (line {header['serieslength'][1]}) says"), True
    return None, bool(equal)


def _ts_label(fields: list[str], labels: tuple[str, ...], where: str) -> str:
    label = fields[-1].strip() if len(fields) > 1 else ""
    if not label:
        raise DataFileError(
            f"{where} has no class label; with @classLabel true every case ends with ':' and its "
            f"label, one of {' '.join(labels)}"
        )
    if label not in labels:
        raise DataFileError(
            f"{where} has the label {label!r}, which @classLabel does not declare (it lists "
            f"{' '.join(labels)}); fix the label, or add it to the @classLabel line"
        )
    return label


def _looks_like_label(field: str) -> bool:
    """Whether the last field of an unlabelled case is rather a label than a channel: a single
    token that is neither a number nor a missing-value marker."""
    text = field.strip()
    if "," in text or not text or text.lower() in _MISSING_MARKERS:
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def _ts_case(fields: list[str], where: str, *, unlabelled: bool) -> np.ndarray:
    """One case's channels (the fields between ``:``) as a ``(time, channels)`` array, NaN where
    a value is missing."""
    channels = [_ts_channel(field, where, c) for c, field in enumerate(fields)]
    lengths = [len(channel) for channel in channels]
    if len(set(lengths)) > 1:
        hint = (
            "; if the last field is a class label, declare the labels with '@classLabel true ...'"
            if unlabelled and lengths[-1] == 1
            else ""
        )
        raise DataFileError(
            f"{where} has channels of different lengths ({', '.join(map(str, lengths))} values); "
            f"the channels of a case are measured at the same times: fix the case{hint}"
        )
    return np.column_stack(channels)


def _ts_channel(text: str, where: str, channel: int) -> np.ndarray:
    if not text.strip():
        raise DataFileError(
            f"{where} has an empty channel {channel} (two ':' in a row, or one at the start or end); "
            "write its values, or '?' for each missing one"
        )
    tokens = text.split(",")
    values = _parse_numbers(tokens)
    bad = np.flatnonzero(np.isinf(values))
    if bad.size:
        raise DataFileError(
            f"{where}: {tokens[bad[0]].strip()!r} at time step {bad[0]} of channel {channel} (both "
            "from 0) is not a finite number; fix it, or write '?' if the value is missing"
        )
    return values


def _parse_numbers(texts: Sequence[str] | np.ndarray) -> np.ndarray:
    """Text as float64, each value exactly as Python reads it (``pd.to_numeric`` can be off in the
    last digits, and the two readers must agree); NaN for '?' and 'NaN', infinity (which callers
    refuse) for what is not a number."""
    try:
        return np.array(texts, dtype=np.float64)  # takes ' 1.5 ', 'NaN' and 'nan'
    except ValueError:
        return np.array([_parse_number(text) for text in texts], dtype=np.float64)


def _parse_number(text: str) -> float:
    text = text.strip()
    if text == "?":
        return np.nan
    try:
        return float(text)
    except ValueError:
        return np.inf


# --- CSV ------------------------------------------------------------------------------------------


def _read_text_table(path: str | os.PathLike, sep: str) -> pd.DataFrame:
    """The CSV as text, every cell stripped, blank lines kept as rows so that row ``i`` is line
    ``i + 2``; the rows of blank lines are dropped after that."""
    try:
        with warnings.catch_warnings():
            # A row with more fields than the header: pandas would drop the extra ones, or, with
            # index_col=None, take the first column for an index when every row has one more.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path, sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False, index_col=False
            )
    except pd.errors.EmptyDataError:
        raise DataFileError(
            f"{path} is empty; expected a CSV table with a header row, one row per case and time "
            "step: case_id,t,<channels...>,label"
        ) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.ParserWarning) as error:
        raise unreadable(path, error, "a CSV file", f"; check sep= (now {sep!r})") from None
    frame = frame.fillna("").apply(lambda column: column.str.strip())
    frame = frame[(frame != "").any(axis=1)]
    if frame.empty:
        raise DataFileError(f"{path} has no data rows, only a header")
    return frame


class _CsvRows:
    """The rows of a long CSV: their lines, case ids and cases, and each column read as numbers,
    times or labels with errors naming the case and line."""

    def __init__(self, path: str | os.PathLike, frame: pd.DataFrame, case_col: Hashable) -> None:
        self.path, self.frame = path, frame
        self.line = frame.index.to_numpy() + 2  # the header is line 1
        text = frame[case_col]
        self._ids_text = text.to_numpy()
        self._check_filled(case_col, "case id")
        numbers = pd.to_numeric(text, errors="coerce")  # exact for whole numbers, which alone are kept
        whole = numbers.notna().all() and pd.api.types.is_integer_dtype(numbers.dtype)
        ids = numbers.to_numpy() if whole else text.to_numpy(dtype=object)
        self._codes, uniques = pd.factorize(ids)  # numbered in order of first appearance
        self.ids = np.asarray(uniques)

    def cases(self):
        """``(case id, rows in file order)`` for each case, in order of its first row."""
        order = np.argsort(self._codes, kind="stable")
        bounds = np.flatnonzero(np.diff(self._codes[order])) + 1
        yield from zip(self.ids.tolist(), np.split(order, bounds))

    def times(self, column: Hashable) -> np.ndarray:
        """The time column as numbers, else as dates."""
        self._check_filled(column, "time")
        text = self.frame[column]
        values = _parse_numbers(text.to_numpy())
        numbers = np.isfinite(values)
        if numbers.all():
            return values
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "could not infer format": checked below
            dates = pd.to_datetime(text, errors="coerce").to_numpy()
        dated = ~np.isnat(dates)
        self._refuse(
            ~numbers if numbers.sum() > dated.sum() else ~dated,
            column,
            "is not a time written like most of the column's; write every time the same way, "
            "as numbers (1, 2, 3) or as dates (2024-01-31)",
        )
        return dates

    def numbers(self, column: Hashable) -> np.ndarray:
        """A channel column as float64, NaN where a value is missing (empty, '?' or 'NaN')."""
        text = self.frame[column].to_numpy()
        numbers = _parse_numbers(np.where(text == "", "?", text))
        self._refuse(
            np.isinf(numbers),
            column,
            "is not a finite number; fix it, or leave the field empty (or write '?') if the value is missing",
        )
        return numbers

    def labels(self, column: Hashable) -> np.ndarray:
        """The label column as text."""
        self._check_filled(column, "label", " (pass label_col=None for unlabelled data)")
        return self.frame[column].to_numpy(dtype=object)

    def _check_filled(self, column: Hashable, what: str, hint: str = "") -> None:
        empty = (self.frame[column] == "").to_numpy()
        if empty.any():
            row = int(np.flatnonzero(empty)[0])
            case = self._ids_text[row]
            who = f"case {case!r}" if case else f"a row of {self.frame.iloc[row].tolist()}"
            raise DataFileError(
                f"line {self.line[row]} of {self.path} ({who}) has no {what} in column {column!r}; "
                f"every row needs one: fill it in or remove the row{hint}"
            )

    def _refuse(self, bad: np.ndarray, column: Hashable, why: str) -> None:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataFileError(
                f"line {self.line[row]} of {self.path} (case {self._ids_text[row]!r}): "
                f"{self.frame[column].iloc[row]!r} in column {column!r} {why}"
            )


def _object_array(values: Any, name: str, count: int) -> np.ndarray:
    """``values`` as a 1-D object array of ``count`` entries (``np.asarray`` would make tuples a
    second axis)."""
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise InvalidInputError(f"{name} must be 1-D, one entry per case; got shape {values.shape}")
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if len(items) != count:
        raise InvalidInputError(f"{name} has {len(items)} entries, but X has {count} cases; give one per case")
    array = np.empty(count, dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


def _case_ids(values: Any, count: int) -> np.ndarray:
    ids = np.asarray(values)
    if ids.shape != (count,):
        raise InvalidInputError(
            f"case_ids must hold one id per case ({count}), got shape {ids.shape}; np.arange({count}) numbers the cases"
        )
    index = pd.Index(ids)
    if not index.is_unique:
        repeated = index[index.duplicated()].tolist()[0]
        raise InvalidInputError(f"case_ids holds {repeated!r} more than once; every case needs its own id")
    return ids


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and bool(np.array_equal(a, b))
