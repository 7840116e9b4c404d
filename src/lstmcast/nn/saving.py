"""Save and load a network: a config JSON and its weights, in one zip file, never a pickle.

The file is a valid ``.npz`` (a zip of ``.npy`` arrays, readable by ``numpy.load``) that also holds
``config.json``: the format name and version, the lstmcast version that wrote it, the
``NetworkSpec`` and any JSON metadata the caller adds (an estimator stores its parameters and
fitted state there), and, beside the weights, any data arrays the caller adds (under ``data/``).
Weights and arrays round-trip bit for bit; every ``.npy`` is read with ``allow_pickle=False``, so
nothing in a file is ever executed. Writes are atomic (a temporary file renamed into place) and
never replace an existing file unless asked.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

import jax
import numpy as np

from lstmcast import __version__
from lstmcast._io import write_atomic
from lstmcast.errors import ModelFileError
from lstmcast.nn.network import NetworkSpec, weight_shapes

FORMAT = "lstmcast-network"
FORMAT_VERSION = 1
CONFIG_MEMBER = "config.json"
DATA_FOLDER = "data/"


class ModelFile(NamedTuple):
    """What a model file holds.

    Attributes
    ----------
    spec : NetworkSpec
        The network.
    params : dict
        Its weights (a leading member axis for an ensemble).
    metadata : dict
        The caller's JSON metadata.
    arrays : dict of str to numpy.ndarray
        The caller's data arrays.
    written_by : str
        The lstmcast version that wrote it (``"unknown"`` if the file does not say).
    """

    spec: NetworkSpec
    params: dict
    metadata: dict[str, Any]
    arrays: dict[str, np.ndarray]
    written_by: str


def _weight_names(params: dict) -> dict[str, Any]:
    """Each weight under its path in the pytree: ``lstm.0.kernel``, ``lstm.1.backward.bias``,
    ``conv.2.gamma``, ``dense.0.kernel`` ..."""
    leaves = jax.tree_util.tree_flatten_with_path(params)[0]
    return {".".join(str(getattr(key, "key", getattr(key, "idx", key))) for key in path): leaf for path, leaf in leaves}


def save_network(
    path: str | os.PathLike,
    spec: NetworkSpec,
    params: dict,
    *,
    metadata: dict[str, Any] | None = None,
    arrays: dict[str, np.ndarray] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a network and its weights to one file.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (its folder must exist).
    spec : NetworkSpec
        The network.
    params : dict
        Its weights: one network's, or an ensemble's stacked on a leading member axis.
    metadata : dict, optional
        Strict JSON the caller keeps with the network (read back by ``read_model_file``).
    arrays : dict of str to numpy.ndarray, optional
        Numeric data arrays kept beside the weights.
    overwrite : bool, default False
        Replace an existing file (else ``OutputExistsError``).

    Returns
    -------
    pathlib.Path
        ``path``, once the whole file is in place (it is written atomically).
    """
    weights = {name: np.asarray(array) for name, array in _weight_names(params).items()}
    template = _weight_names(weight_shapes(spec))
    first = next(iter(weights))
    members = None if weights[first].shape == template[first].shape else int(weights[first].shape[0])
    config = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lstmcast_version": __version__,
        "network": spec.to_config(),
        "members": members,
        "metadata": metadata or {},
    }
    config_bytes = json.dumps(config, indent=2, allow_nan=False).encode()

    def write(f) -> None:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(CONFIG_MEMBER, config_bytes)
            for name, array in weights.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
                archive.writestr(f"{name}.npy", buffer.getvalue())
            for name, array in (arrays or {}).items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
                archive.writestr(f"{DATA_FOLDER}{name}.npy", buffer.getvalue())

    return write_atomic(path, write, overwrite=overwrite)


def load_network(path: str | os.PathLike) -> tuple[NetworkSpec, dict, dict[str, Any]]:
    """Read a file written by ``save_network``.

    Parameters
    ----------
    path : str or os.PathLike
        The model file (its data arrays, if any, are not returned: see ``read_model_file``).

    Returns
    -------
    spec : NetworkSpec
    params : dict
        NumPy arrays, with a leading member axis when an ensemble was saved.
    metadata : dict
        What the caller stored with it.
    """
    model = read_model_file(path)
    return model.spec, model.params, model.metadata


def read_model_file(path: str | os.PathLike) -> ModelFile:
    """Everything a file written by ``save_network`` holds, checked.

    Parameters
    ----------
    path : str or os.PathLike
        The model file, checked whole before anything is returned.

    Returns
    -------
    ModelFile
        The network, its weights, the caller's metadata and data arrays, and the version that
        wrote it.

    Raises
    ------
    ModelFileError
        The file is missing, truncated, corrupt, foreign, from a newer format, or its weights do
        not fit its network.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"no model file at {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read(CONFIG_MEMBER))
            if config.get("format") != FORMAT:
                raise ModelFileError(f"{path} is not an lstmcast model file (format {config.get('format')!r})")
            if int(config.get("format_version", -1)) > FORMAT_VERSION:
                raise ModelFileError(
                    f"{path} was written by lstmcast {config.get('lstmcast_version')} in format version "
                    f"{config['format_version']}; this lstmcast ({__version__}) reads up to {FORMAT_VERSION}: "
                    "upgrade lstmcast"
                )
            spec = NetworkSpec.from_config(config["network"])
            template = _weight_names(weight_shapes(spec))
            members = config.get("members", config.get("n_models"))  # "n_models" in files of lstmcast 0.1
            lead = () if members is None else (int(members),)
            arrays = {}
            for name, like in template.items():
                with archive.open(f"{name}.npy") as member:
                    array = np.lib.format.read_array(io.BytesIO(member.read()), allow_pickle=False)
                if array.shape != lead + like.shape or array.dtype != like.dtype:
                    raise ModelFileError(
                        f"{path}: weight {name} has shape {array.shape} {array.dtype}, "
                        f"expected {lead + like.shape} {like.dtype}"
                    )
                arrays[name] = array
            data = {}
            for member in archive.namelist():
                if member.startswith(DATA_FOLDER) and member.endswith(".npy"):
                    with archive.open(member) as handle:
                        data[member[len(DATA_FOLDER) : -4]] = np.lib.format.read_array(
                            io.BytesIO(handle.read()), allow_pickle=False
                        )
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError, OSError, zipfile.LargeZipFile) as error:
        raise ModelFileError(f"{path} is not a readable lstmcast model file (corrupt or truncated?): {error}") from None
    treedef = jax.tree_util.tree_structure(weight_shapes(spec))
    params = jax.tree_util.tree_unflatten(treedef, list(arrays.values()))
    metadata = config.get("metadata")
    if not isinstance(metadata, dict):
        raise ModelFileError(f"{path} is not a readable lstmcast model file: its metadata is not a JSON object")
    return ModelFile(spec, params, metadata, data, str(config.get("lstmcast_version", "unknown")))
