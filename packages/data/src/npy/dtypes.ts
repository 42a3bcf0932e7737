/** Element types of .npy and .idx arrays and the typed arrays that hold them. */

/** Supported element types. */
export type DType =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64';

/** The typed array that holds each dtype (64-bit integers are BigInt arrays: exact, no rounding). */
export interface DTypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
}

/** Any of the typed arrays above. */
export type NumericArray = DTypeArrays[DType];

/** An n-dimensional array in C (row-major) order. */
export interface NdArray<D extends DType = DType> {
  readonly dtype: D;
  /** Dimensions, outermost first; [] for a scalar. */
  readonly shape: readonly number[];
  /** prod(shape) elements, last index fastest. */
  readonly data: DTypeArrays[D];
}

/** Bytes per element. */
export const ITEM_SIZE: Record<DType, number> = {
  float32: 4,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
};

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
} as const;

/** A zero-filled typed array of `n` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, n: number): DTypeArrays[D] {
  return new CTORS[dtype](n) as DTypeArrays[D];
}

/** The dtype of a typed array, or undefined for an unsupported one (e.g. Float16Array, Uint8ClampedArray). */
export function dtypeOf(a: unknown): DType | undefined {
  for (const [k, C] of Object.entries(CTORS)) if (a instanceof C && a.constructor === C) return k as DType;
  return undefined;
}

/** Product of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reverse the byte order of each element in place (for big-endian files). */
export function swapBytes(bytes: Uint8Array, itemSize: number): void {
  if (itemSize === 1) return;
  for (let i = 0; i < bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Little-endian machine? (All the platforms Node supports are; checked, not assumed.) */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed array of `dtype` over a copy of `bytes` (copied so alignment is right and the source is untouched). */
export function fromBytes<D extends DType>(dtype: D, bytes: Uint8Array, bigEndian: boolean): DTypeArrays[D] {
  const copy = new Uint8Array(bytes); // copy: aligned, and the caller's buffer is never modified
  if (bigEndian === LITTLE_ENDIAN) swapBytes(copy, ITEM_SIZE[dtype]);
  return new CTORS[dtype](copy.buffer, 0, bytes.length / ITEM_SIZE[dtype]) as DTypeArrays[D];
}

/** The bytes of a typed array in the requested byte order (a copy). */
export function toBytes(data: NumericArray, bigEndian: boolean): Uint8Array {
  const copy = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (bigEndian === LITTLE_ENDIAN) swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}
