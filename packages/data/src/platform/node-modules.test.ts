import { fs, path } from './node-modules';
import * as direct from '../node';
import { readCsv } from '../index';

describe('Node modules loaded on use', () => {
  it('in Node they are the real modules', () => {
    expect(path.join('a', 'b')).toBe(require('node:path').join('a', 'b'));
    expect(fs.existsSync(__filename)).toBe(true);
    expect(direct.readCsv).toBe(readCsv); // @aml/data/node names the same functions
  });

  it('without Node, a file function fails saying what to use instead', () => {
    const g = globalThis as { process?: unknown };
    const saved = g.process;
    const { zlib } = require('./node-modules') as typeof import('./node-modules');
    let message = '';
    try {
      g.process = undefined;
      zlib.gunzipSync(new Uint8Array(0)); // not loaded yet in this module instance
    } catch (e) {
      message = (e as Error).message;
    } finally {
      g.process = saved;
    }
    expect(message).toBe(
      "reading or writing files needs Node (node:zlib); in a browser, pass the file's bytes or text to a parser (parseCsv, parseNpy, parseNpz, parseMat)",
    );
  });
});
