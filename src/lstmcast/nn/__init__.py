"""Layers and networks: pure functions on weight pytrees, with Keras semantics and layout."""

from lstmcast.nn.dense import ACTIVATIONS, dense_forward, init_dense
from lstmcast.nn.ensemble import (
    calibrate_batch_norm,
    ensemble_forward,
    ensemble_outputs,
    ensemble_recursive,
    ensemble_stateful,
)
from lstmcast.nn.lstm import dropout_mask, init_lstm, lstm_forward, zero_state
from lstmcast.nn.network import (
    Dense,
    NetworkSpec,
    NetworkState,
    from_keras_weights,
    init_network,
    network_forward,
    predict,
    ravel_weights,
    run_stateful,
    stateful_scan,
    to_keras_weights,
    unravel_weights,
    weight_shapes,
    zero_network_state,
)
from lstmcast.nn.saving import ModelFile, load_network, read_model_file, save_network

__all__ = [
    "ACTIVATIONS",
    "Dense",
    "ModelFile",
    "NetworkSpec",
    "NetworkState",
    "dense_forward",
    "dropout_mask",
    "calibrate_batch_norm",
    "ensemble_forward",
    "ensemble_outputs",
    "ensemble_recursive",
    "ensemble_stateful",
    "from_keras_weights",
    "init_dense",
    "init_lstm",
    "init_network",
    "load_network",
    "lstm_forward",
    "network_forward",
    "predict",
    "ravel_weights",
    "read_model_file",
    "run_stateful",
    "save_network",
    "stateful_scan",
    "to_keras_weights",
    "unravel_weights",
    "weight_shapes",
    "zero_network_state",
    "zero_state",
]
