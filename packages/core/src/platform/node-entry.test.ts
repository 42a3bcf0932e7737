import { isNode, requireNode } from './node-entry';
import * as direct from '../node';

describe('the Node half of @aml/core, loaded on use', () => {
  it('in Node, requireNode gives the module @aml/core/node', () => {
    expect(isNode()).toBe(true);
    const m = requireNode('test');
    expect(m.readManifest).toBe(direct.readManifest);
    expect(m.samePath('a/../b', 'b')).toBe(true);
    expect(m.samePath('a', 'b')).toBe(false);
  });

  it('without Node (no process), it fails naming the feature and what to do', () => {
    const g = globalThis as { process?: unknown };
    const saved = g.process;
    let message = '';
    try {
      g.process = undefined;
      expect(isNode()).toBe(false);
      requireNode('train: checkpoint');
    } catch (e) {
      message = (e as Error).message;
    } finally {
      g.process = saved;
    }
    expect(message).toBe(
      'train: checkpoint reads or writes files, which needs Node; in a browser leave it out (a page has no folders)',
    );
  });
});
