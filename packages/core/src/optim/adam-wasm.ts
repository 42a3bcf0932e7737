/**
 * Adam's update in WASM SIMD (f32x4), compiled from packages/core/assembly/adam.ts by
 * scripts/embed-adam-wasm.js (generated: do not edit; rerun the script). Exports
 * adam(w, g, m, v, wOut, mOut, vOut, n, b1, c1, b2, c2, k1, k2, eps) over byte offsets into an
 * imported memory (env.memory): the wasm backend's own heap, so tensors are updated where they live.
 */
export const ADAM_WASM_BASE64 =
  'AGFzbQEAAAABEwFgD39/f39/f39/fX19fX19fQACDwEDZW52Bm1lbW9yeQIAAQMCAQAHCAEEYWRhbQAACtQBAdEBAgF/CXsgCP0TIREgCf0TIRIgCv0TIRMgC/0TIRQgDP0TIRUgDf0TIRYgDv0TIRcgB0ECdCEHA0AgByAPSwRAIAIgD2r9AAQAIBH95gEgASAPav0ABAAiGCAS/eYB/eQBIRAgAyAPav0ABAAgE/3mASAYIBj95gEgFP3mAf3kASEYIAUgD2ogEP0LBAAgBiAPaiAY/QsEACAEIA9qIAAgD2r9AAQAIBUgEP3mASAYIBb95gH94wEgF/3kAf3nAf3lAf0LBAAgD0EQaiEPDAELCws=';
