"""Times the PyTorch reference dstft (github.com/maxime-leiber/dstft) for bench/reference.mjs, one request per line.

Started by reference.mjs as `python3 reference_server.py <checkout>`; reads JSON requests on stdin
({"row": {...}, "dtype": "float64" | "float32", "threads": 1 | 2, "min_ms": 600}) and answers each with one JSON line
({"median": ms, "min": ms, "n": runs, "loss": H}). A row is one forward + backward with the entropy loss: the mean over
the batch of H = -sum p log p, p = S / sum S, S the reference's magnitude spectrogram, gradients into its parameters.
The package's __init__ is not run (it imports matplotlib for plotting); only dstft/dstft.py and what it imports.
"""
import json
import os
import sys
import time
import types

import torch

checkout = sys.argv[1]
pkg = types.ModuleType('dstft')
pkg.__path__ = [os.path.join(checkout, 'src', 'dstft')]
sys.modules['dstft'] = pkg
from dstft.dstft import DSTFT  # noqa: E402

models = {}


def build(row, dtype):
    key = (row['id'], dtype)
    if key in models:
        return models[key]
    torch.manual_seed(7)
    gen = torch.Generator().manual_seed(7)
    n = torch.arange(row['L'], dtype=torch.float64)
    base = torch.sin(0.01 * n + 2e-7 * n * n) + 0.5 * torch.sin(0.37 * n)
    x = (base + 0.1 * (torch.rand(row['B'], row['L'], generator=gen, dtype=torch.float64) - 0.5)).to(getattr(torch, dtype))
    model = DSTFT(n_fft=row['nFft'], hop_length=float(row['hop']), win_length=float(row['theta']),
                  window_mode=row['windowMode'], hop_mode=row['hopMode'])
    model = model.to(getattr(torch, dtype))
    model.initialize(x)
    models[key] = (model, x)
    return models[key]


def step(model, x):
    model.zero_grad(set_to_none=True)
    spec, _ = model(x)
    p = spec / spec.sum(dim=(1, 2), keepdim=True)
    h = -(p * torch.log(p.clamp_min(1e-300 if p.dtype == torch.float64 else 1e-38))).sum(dim=(1, 2)).mean()
    h.backward()
    return float(h)


for line in sys.stdin:
    req = json.loads(line)
    torch.set_num_threads(int(req['threads']))
    model, x = build(req['row'], req['dtype'])
    loss = 0.0
    for _ in range(3):
        loss = step(model, x)
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start) * 1000 < req['min_ms']:
        t = time.perf_counter()
        step(model, x)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(json.dumps({'median': times[len(times) // 2], 'min': times[0], 'n': len(times), 'loss': loss}), flush=True)
