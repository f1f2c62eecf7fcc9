#!/usr/bin/env python3
"""torch_unet_reference.py — issue 5's U-Nets (configs A and B) in PyTorch, timed like `difflab bench`.

Not part of the build or the tests. Written from the architecture in issue 5 (the same one src/nn/unet.h builds):
the parameter counts are asserted (1,707,009 and 2,536,033). Training: batch 64 of 28×28 images, t uniform in
T = 1000, L_simple, AdamW lr 1e-3, gradient clipping at 1; sampling: 16 images, DDPM steps timed and
extrapolated to 1000. Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/torch_unet_reference.py
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def sinusoidal(t, size):
    half = size // 2
    freqs = torch.exp(-math.log(10000.0) / (half - 1) * torch.arange(half))
    arg = t.float().unsqueeze(1) * freqs.unsqueeze(0)
    return torch.cat((torch.sin(arg), torch.cos(arg)), dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb, groups):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(groups, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.proj = nn.Linear(temb, cout)
        self.norm2, self.conv2 = nn.GroupNorm(groups, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb_act):
        h = self.conv1(F.silu(self.norm1(x))) + self.proj(temb_act)[:, :, None, None]
        return self.conv2(F.silu(self.norm2(h))) + self.skip(x)


class Attention(nn.Module):
    def __init__(self, c, groups, head_dim):
        super().__init__()
        self.norm, self.heads = nn.GroupNorm(groups, c), c // head_dim
        self.q, self.k, self.v, self.o = (nn.Linear(c, c) for _ in range(4))

    def forward(self, x):
        b, c, h, w = x.shape
        y = self.norm(x).flatten(2).transpose(1, 2)  # [b, hw, c]
        split = lambda z: z.view(b, h * w, self.heads, c // self.heads).transpose(1, 2)
        q, k, v = split(self.q(y)), split(self.k(y)), split(self.v(y))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(c // self.heads), dim=-1)
        out = (att @ v).transpose(1, 2).reshape(b, h * w, c)
        return x + self.o(out).transpose(1, 2).view(b, c, h, w)


class UNet(nn.Module):
    def __init__(self, channels, attention, layers, groups, head_dim):
        super().__init__()
        c0 = channels[0]
        self.c0, self.temb = c0, 4 * c0
        self.time = nn.Sequential(nn.Linear(c0, 4 * c0), nn.SiLU(), nn.Linear(4 * c0, 4 * c0))
        self.conv_in = nn.Conv2d(1, c0, 3, padding=1)
        self.down, skips, ch = nn.ModuleList(), [c0], c0
        for i, co in enumerate(channels):
            for _ in range(layers):
                self.down.append(ResBlock(ch, co, self.temb, groups))
                ch = co
                if attention[i]:
                    self.down.append(Attention(ch, groups, head_dim))
                skips.append(ch)
            if i + 1 < len(channels):
                self.down.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
                skips.append(ch)
        self.mid = nn.ModuleList([ResBlock(ch, ch, self.temb, groups), Attention(ch, groups, head_dim),
                                  ResBlock(ch, ch, self.temb, groups)])
        self.up = nn.ModuleList()
        for i in reversed(range(len(channels))):
            co = channels[i]
            for _ in range(layers + 1):
                self.up.append(ResBlock(ch + skips.pop(), co, self.temb, groups))
                ch = co
                if attention[i]:
                    self.up.append(Attention(ch, groups, head_dim))
            if i > 0:
                self.up.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ch, ch, 3, padding=1)))
        self.norm_out, self.conv_out = nn.GroupNorm(groups, ch), nn.Conv2d(ch, 1, 3, padding=1)

    # The forward pass; block outputs are kept as skips (a ResBlock followed by attention counts once).
    def run(self, x, t):
        temb_act = F.silu(self.time(sinusoidal(t, self.c0)))
        h = self.conv_in(x)
        skips = [h]
        mods = list(self.down)
        for idx, m in enumerate(mods):
            h = m(h, temb_act) if isinstance(m, ResBlock) else m(h)
            nxt = mods[idx + 1] if idx + 1 < len(mods) else None
            if not (isinstance(m, ResBlock) and isinstance(nxt, Attention)):
                skips.append(h)
        h = self.mid[0](h, temb_act)
        h = self.mid[1](h)
        h = self.mid[2](h, temb_act)
        for m in self.up:
            if isinstance(m, ResBlock):
                h = m(torch.cat((h, skips.pop()), dim=1), temb_act)
            else:
                h = m(h)
        return self.conv_out(F.silu(self.norm_out(h)))


CONFIGS = {
    "A": (dict(channels=(32, 64, 64), attention=(0, 1, 1), layers=2, groups=32, head_dim=8), 1707009),
    "B": (dict(channels=(32, 64, 128), attention=(0, 0, 0), layers=1, groups=8, head_dim=32), 2536033),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--sample-steps", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    T = 1000
    betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    alpha_bar = torch.cumprod(1 - betas, 0).float()
    data = torch.randn(256, 1, 28, 28)
    result = {"threads": args.threads, "torch": torch.__version__, "unet_train_img_per_s": {}, "unet_sample_16x1000_s": {}}
    for name, (cfg, count) in CONFIGS.items():
        model = UNet(**cfg)
        assert sum(p.numel() for p in model.parameters()) == count, (name, sum(p.numel() for p in model.parameters()))
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)

        def step():
            x0 = data[torch.randint(0, 256, (64,))]
            eps = torch.randn_like(x0)
            t = torch.randint(0, T, (64,))
            ab = alpha_bar[t].view(-1, 1, 1, 1)
            loss = F.mse_loss(model.run(ab.sqrt() * x0 + (1 - ab).sqrt() * eps, t), eps)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()

        step()
        n, start = 0, time.perf_counter()
        while n < 2 or time.perf_counter() - start < args.seconds:
            step()
            n += 1
        result["unet_train_img_per_s"][name] = n * 64 / (time.perf_counter() - start)
        with torch.no_grad():
            x = torch.randn(16, 1, 28, 28)
            model.run(x, torch.full((16,), 999))
            start = time.perf_counter()
            for i in range(args.sample_steps):
                model.run(x, torch.full((16,), 999 - i))
            result["unet_sample_16x1000_s"][name] = (time.perf_counter() - start) / args.sample_steps * 1000
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
