/**
 * A first-fit allocator over the kernel's shared WASM memory (bookkeeping in JS).
 * Calls allocate their buffers and release them at the end, so a training loop reuses the
 * same regions step after step; tapes for the reverse pass live here until consumed.
 */
import type { WasmMemory } from './wasm-api';

const ALIGN = 64; // cache line: keeps v128 loads aligned and threads off each other's lines

export class WasmHeap {
  private readonly freeList: { off: number; size: number }[] = [];
  private readonly sizes = new Map<number, number>();
  private top: number;

  /** memory: the shared memory; base: first byte the heap may use. */
  constructor(
    private readonly memory: WasmMemory,
    base: number,
    private readonly maxBytes: number,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Bytes from the heap's base to its current top (high-water mark in use). */
  get topBytes(): number {
    return this.top;
  }

  /** Allocate `bytes` (rounded up to 64) and return the offset; grows the memory if needed. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.freeList.length; i++) {
      const f = this.freeList[i];
      if (f.size >= size) {
        const off = f.off;
        if (f.size === size) this.freeList.splice(i, 1);
        else {
          f.off += size;
          f.size -= size;
        }
        this.sizes.set(off, size);
        return off;
      }
    }
    const off = this.top;
    const end = off + size;
    if (end > this.maxBytes) {
      throw new Error(
        `fused kernel: needs ${(end / 2 ** 20).toFixed(0)} MB of WASM memory, over the ${(this.maxBytes / 2 ** 20).toFixed(0)} MB limit; use fewer points per call`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    this.top = end;
    this.sizes.set(off, size);
    return off;
  }

  /** Return a region to the heap (coalescing neighbours, lowering the top when it can). */
  release(off: number): void {
    const size = this.sizes.get(off);
    if (size === undefined) throw new Error(`fused kernel heap: release of unknown offset ${off}`);
    this.sizes.delete(off);
    let i = 0;
    while (i < this.freeList.length && this.freeList[i].off < off) i++;
    this.freeList.splice(i, 0, { off, size });
    // Merge with the next, then the previous block.
    const cur = this.freeList[i];
    const next = this.freeList[i + 1];
    if (next && cur.off + cur.size === next.off) {
      cur.size += next.size;
      this.freeList.splice(i + 1, 1);
    }
    const prev = this.freeList[i - 1];
    if (prev && prev.off + prev.size === cur.off) {
      prev.size += cur.size;
      this.freeList.splice(i, 1);
      i--;
    }
    const last = this.freeList[this.freeList.length - 1];
    if (last && last.off + last.size === this.top) {
      this.top = last.off;
      this.freeList.pop();
    }
  }
}
