#!/usr/bin/env python3
"""torch_reference.py — the reference PyTorch numbers for `difflab bench`: tiny-diffusion's MLP.

Not part of the build or the tests: bench/compare_torch.sh runs it beside `difflab bench` and prints
ratios. Written from the architecture in the foundation issue (tiny-diffusion, 99,074 parameters):
x, y and t each through a sinusoidal embedding of size 128 (x and y scaled by 25), concatenated →
Linear 384→128 + GELU → 3 × (h + GELU(Linear 128→128 h)) → Linear 128→2; AdamW lr 1e-3, T = 50 linear.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SinusoidalEmbedding(nn.Module):
    def __init__(self, size, scale=1.0):
        super().__init__()
        self.size, self.scale = size, scale

    def forward(self, x):
        x = x * self.scale
        half = self.size // 2
        freqs = torch.exp(-math.log(10000.0) / (half - 1) * torch.arange(half))
        arg = x.unsqueeze(-1) * freqs.unsqueeze(0)
        return torch.cat((torch.sin(arg), torch.cos(arg)), dim=-1)


class Block(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.ff, self.act = nn.Linear(size, size), nn.GELU()

    def forward(self, x):
        return x + self.act(self.ff(x))


class MLP(nn.Module):
    def __init__(self, hidden=128, layers=3, emb=128):
        super().__init__()
        self.t_emb = SinusoidalEmbedding(emb)
        self.x_emb = SinusoidalEmbedding(emb, 25.0)
        self.y_emb = SinusoidalEmbedding(emb, 25.0)
        body = [nn.Linear(3 * emb, hidden), nn.GELU()] + [Block(hidden) for _ in range(layers)]
        self.net = nn.Sequential(*body, nn.Linear(hidden, 2))

    def forward(self, x, t):
        h = torch.cat((self.x_emb(x[:, 0]), self.y_emb(x[:, 1]), self.t_emb(t)), dim=-1)
        return self.net(h)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    T = 50
    betas = torch.linspace(1e-4, 0.02, T)
    alphas = 1 - betas
    alpha_bar = torch.cumprod(alphas, 0)
    data = torch.randn(8000, 2)

    result = {"threads": args.threads, "torch": torch.__version__, "train_steps_per_s": {}}
    for batch in (32, 256, 1024):
        model = MLP()
        assert sum(p.numel() for p in model.parameters()) == 99074
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

        def step():
            x0 = data[torch.randint(0, 8000, (batch,))]
            noise = torch.randn_like(x0)
            t = torch.randint(0, T, (batch,))
            ab = alpha_bar[t].unsqueeze(1)
            xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
            loss = F.mse_loss(model(xt, t.float()), noise)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad()

        for _ in range(20):
            step()
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for _ in range(10):
                step()
            steps += 10
        result["train_steps_per_s"][str(batch)] = steps / (time.perf_counter() - start)

    model = MLP().eval()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        with torch.no_grad():
            x = torch.randn(1000, 2)
            for t in reversed(range(T)):
                eps = model(x, torch.full((1000,), float(t)))
                ab, abp = alpha_bar[t], (alpha_bar[t - 1] if t > 0 else torch.tensor(1.0))
                x0 = (x - (1 - ab).sqrt() * eps) / ab.sqrt()
                mean = (abp.sqrt() * betas[t] * x0 + (1 - abp) * alphas[t].sqrt() * x) / (1 - ab)
                if t > 0:
                    x = mean + (betas[t] * (1 - abp) / (1 - ab)).sqrt() * torch.randn_like(x)
                else:
                    x = mean
        best = min(best, (time.perf_counter() - start) * 1000)
    result["sample_1000x50_ms"] = best
    print(json.dumps(result))


if __name__ == "__main__":
    main()
