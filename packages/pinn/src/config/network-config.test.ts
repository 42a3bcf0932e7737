import { parseProblemConfig } from './schema';
import { networkSpecFromConfig } from './network-schema';

const base = {
  name: 'allen-cahn',
  domain: { x: [-1, 1], t: [0, 1] },
  equation: 'u_t - 1e-4*u_xx + 5*u^3 - 5*u',
  conditions: [{ type: 'initial', value: 'x^2*cos(pi*x)' }],
};
const withNet = (network: unknown) => ({ ...base, network });

describe('network in config files', () => {
  it('{layers, activation} without kind is a plain MLP, as before', () => {
    const c = parseProblemConfig(withNet({ layers: [20, 20] }));
    expect(networkSpecFromConfig(c.network)).toEqual({
      kind: 'mlp',
      hidden: [20, 20],
      activation: 'tanh',
      fourier: undefined,
      periodic: undefined,
      factorized: undefined,
    });
  });

  it('every kind with embeddings and factorization maps to the solver spec', () => {
    const c = parseProblemConfig(
      withNet({
        kind: 'modified-mlp',
        layers: [64, 64],
        activation: 'tanh',
        periodic: { x: 2 },
        fourier: { sigma: 1, features: 64, trainable: false },
        factorized: { mu: 1, sigma: 0.1 },
      }),
    );
    expect(networkSpecFromConfig(c.network)).toEqual({
      kind: 'modified-mlp',
      hidden: [64, 64],
      activation: 'tanh',
      periodic: { x: 2 },
      fourier: { sigma: 1, features: 64, trainable: false },
      factorized: { mu: 1, sigma: 0.1 },
    });
    expect(parseProblemConfig(withNet({ kind: 'pirate', layers: [32, 32], fourier: { sigma: 2 } })).network.kind).toBe(
      'pirate',
    );
    const pi = parseProblemConfig(
      withNet({ kind: 'pirate', layers: [32], fourier: { sigma: 1 }, init: 'initial-condition' }),
    );
    expect(networkSpecFromConfig(pi.network).init).toBe('initial-condition');
  });

  it.each([
    [{ kind: 'resnet', layers: [4] }, 'network.kind'],
    [{ layers: [4], fourier: { sigma: -1 } }, 'network.fourier.sigma'],
    [{ layers: [4], fourier: { sigma: 1, features: 5 } }, 'network.fourier.features'],
    [{ layers: [4], fourier: { sigma: 1, scale: 2 } }, 'network.fourier'],
    [{ layers: [4], periodic: { x: 0 } }, 'network.periodic.x'],
    [{ layers: [4], factorized: { mu: 1, sigma: -0.1 } }, 'network.factorized.sigma'],
    [{ layers: [4], width: 3 }, 'network'],
    [{ kind: 'mlp' }, 'network.layers'],
    [undefined, 'network'],
    [{ kind: 'pirate', layers: [4], init: 'zeros' }, 'network.init'],
  ])('%j fails naming %s', (network, path) => {
    let msg = '';
    try {
      parseProblemConfig(withNet(network), 'ac.json');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain(`at ${path}`);
  });
});
