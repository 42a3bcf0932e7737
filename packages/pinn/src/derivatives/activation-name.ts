/**
 * Names of the elementwise activations the derivative engines support.
 * Mirrors `ACTIVATION_NAMES` of @aml/core's activations (re-exported from there once it lands).
 */
export type ActivationName =
  | 'identity'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'gelu'
  | 'geluTanh'
  | 'silu'
  | 'mish'
  | 'softplus'
  | 'sin';
