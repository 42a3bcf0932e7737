#!/usr/bin/env python3
"""PyTorch peer of the bench's training steps (tools/bench/cases/peer-torch.ts runs it).

Each case builds the same network, data shapes and loss as its TypeScript twin and times one
Adam step (zero_grad, forward, backward, step) in CPU time (time.process_time), after warm-up.
Prints one JSON object per case: {"case": name, "cpu_ms": [round medians...], "wall_ms": [...]}.

Usage: python3 torch_steps.py --cases mlp,lenet,lstm,transformer,pinn --rounds 5 --steps 10
Threads are pinned by the caller (OMP_NUM_THREADS=1 etc.); torch.set_num_threads(1) is set here too.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass  # already set (only allowed once per process)


def mlp_case():
    """784-100-100-10 ReLU MLP, batch 64, softmax cross-entropy (nn.ts: nn-mlp-784x100x100x10-b64)."""
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10))
    x = torch.rand(64, 784)
    y = torch.arange(64) % 10
    return net, lambda: nn.functional.cross_entropy(net(x), y)


def lenet_case():
    """LeNet on 16x16x1, conv 3x3 'same' 8 and 16 channels, 2x2 max-pools, dense 32, 2 classes, batch 32."""
    torch.manual_seed(1)
    net = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4 * 4 * 16, 32), nn.ReLU(), nn.Linear(32, 2))
    x = torch.rand(32, 1, 16, 16) * 2 - 1
    y = torch.arange(32) % 2
    return net, lambda: nn.functional.cross_entropy(net(x), y)


class LstmRegressor(nn.Module):
    """2 stacked LSTM layers of 32 over 20 steps, a dense head on the last state (sequenceRegressor)."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 32, num_layers=2, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def lstm_case():
    torch.manual_seed(1)
    net = LstmRegressor()
    x = torch.randn(32, 20, 1)
    y = torch.randn(32, 1)
    return net, lambda: nn.functional.mse_loss(net(x), y)


class Encoder(nn.Module):
    """Pre-LN transformer encoder, d 32, 4 heads, 2 blocks, ffn 64 (GELU), sinusoidal positions, per-token head."""

    def __init__(self, d=32, heads=4, layers=2, ffn=64, tokens=33):
        super().__init__()
        self.inp = nn.Linear(2, d)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(d, heads, ffn, dropout=0.0, activation='gelu', batch_first=True, norm_first=True)
            for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)
        pos = torch.arange(tokens).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(tokens, d)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer('pe', pe)

    def forward(self, x):
        h = self.inp(x) + self.pe
        for b in self.blocks:
            h = b(h)
        return self.out(self.ln(h))


def transformer_case():
    torch.manual_seed(1)
    net = Encoder()
    x = torch.randn(32, 33, 2)
    y = torch.randn(32, 33, 1)
    return net, lambda: nn.functional.mse_loss(net(x), y)


def pinn_case():
    """Burgers residual u_t + u u_x - (0.01/pi) u_xx at 10,000 points in [-1, 1]^2, 2-50x4-1 tanh MLP (nested autograd)."""
    torch.manual_seed(1)
    layers = []
    sizes = [2, 50, 50, 50, 50, 1]
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(nn.Tanh())
    net = nn.Sequential(*layers)
    pts = torch.rand(10000, 2) * 2 - 1
    nu = 0.01 / math.pi

    def loss():
        x = pts[:, 0:1].clone().requires_grad_(True)
        t = pts[:, 1:2].clone().requires_grad_(True)
        u = net(torch.cat([x, t], 1))
        ones = torch.ones_like(u)
        u_x, u_t = torch.autograd.grad(u, (x, t), ones, create_graph=True)
        u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x), create_graph=True)[0]
        return ((u_t + u * u_x - nu * u_xx) ** 2).mean()

    return net, loss


CASES = {'mlp': mlp_case, 'lenet': lenet_case, 'lstm': lstm_case, 'transformer': transformer_case, 'pinn': pinn_case}


def time_case(name, rounds, steps):
    net, loss_fn = CASES[name]()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
        return loss

    for _ in range(max(3, steps)):  # warm-up (as the Node side): allocator pools, Adam state
        step()
    cpu, wall = [], []
    for _ in range(rounds):
        c, w = [], []
        for _ in range(steps):
            c0, w0 = time.process_time(), time.perf_counter()
            step()
            c.append((time.process_time() - c0) * 1000)
            w.append((time.perf_counter() - w0) * 1000)
        cpu.append(statistics.median(c))
        wall.append(statistics.median(w))
    return {'case': name, 'cpu_ms': cpu, 'wall_ms': wall, 'torch': torch.__version__, 'threads': torch.get_num_threads()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--cases', default=','.join(CASES))
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--steps', type=int, default=10)
    a = p.parse_args()
    for name in a.cases.split(','):
        if name not in CASES:
            sys.exit(f'torch_steps: unknown case {name!r}; use one of {", ".join(CASES)}')
        print(json.dumps(time_case(name, a.rounds, a.steps)), flush=True)


if __name__ == '__main__':
    main()
