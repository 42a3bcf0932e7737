// Slots of the i32 "plan" the host writes before each call (mirror: src/fused/plan.ts).
// Pointers are byte offsets into the shared memory.
export const PL_D = 0; // inputs d (1..4)
export const PL_M = 1; // outputs m (1..4)
export const PL_NL = 2; // weight matrices (hidden layers + 1)
export const PL_ACT = 3; // activation id of every hidden layer, when all are the same (activations.ts)
export const PL_C = 4; // channels of the Taylor stack: 1 + first + pairs
export const PL_NF = 5; // first-derivative directions
export const PL_NP = 6; // second-derivative pairs
export const PL_P = 7; // points per block (multiple of 8)
export const PL_N = 8; // real points N (the last block is padded with zeros)
export const PL_NB = 9; // blocks
export const PL_TAPE = 10; // tape base (0: forward keeps no tape)
export const PL_X = 11; // x, (N, d) f32
export const PL_XBAR = 12; // dL/dx, (N, d) f32 (0: not wanted)
export const PL_MAXW = 13; // widest layer (sizes the scratch)
export const PL_NT = 14; // third-derivative channels (i, i, i)
export const PL_WIDTHS = 16; // n_0 = d, n_1..n_{NL-1} hidden, n_NL = m
export const PL_DIRS = 64; // input index of each first-derivative channel
export const PL_PAIRS = 68; // (a, b) first-channel indices of each pair, a <= b
export const PL_W = 96; // W_l, (n_l, n_{l+1}) f32
export const PL_WT = 144; // W_l transposed, (n_{l+1}, n_l) f32
export const PL_B = 192; // b_l, (n_{l+1}) f32
export const PL_TAPEOFF = 240; // hidden layer l's z-stack offset from the tape base
export const PL_OUT = 288; // per channel: output (N, m) f32, or 0
export const PL_DY = 304; // per channel: upstream gradient (N, m) f32, or 0
export const PL_GW = 320; // W_l's f64 gradient offset from the thread's gradient base
export const PL_GB = 368; // b_l's f64 gradient offset
export const PL_PAIROFF = 416; // per pair: byte offsets of channels a, b and the pair within a row (3 slots)
export const PL_GV = 448; // W_l's f32x4 gradient accumulators, offset from the thread's gradient base
export const PL_IN = 496; // per channel: layer 0's input stack (N, n_0) f32 (0 in slot 0: build it from x)
export const PL_INBAR = 512; // per channel: adjoint of that stack (N, n_0) f32, or 0
export const PL_ACTS = 528; // activation id of hidden layer l (the kernel reads these)
export const PL_TRIPOFF = 576; // per triple: byte offsets of channels (i), (i, i) and (i, i, i) within a row (3 slots)
export const PL_SIZE = 592;
