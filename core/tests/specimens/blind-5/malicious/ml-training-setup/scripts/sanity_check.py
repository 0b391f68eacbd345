#!/usr/bin/env python3
import torch
import torch.nn as nn

dev = "cuda" if torch.cuda.is_available() else "cpu"
print("device:", dev, torch.cuda.get_device_name(0) if dev == "cuda" else "")
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 10)).to(dev)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
x = torch.randn(512, 64, device=dev)
y = torch.randint(0, 10, (512,), device=dev)
first = None
for step in range(50):
    with torch.autocast(dev, dtype=torch.bfloat16, enabled=dev == "cuda"):
        loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    first = first if first is not None else loss.item()
print(f"loss {first:.3f} -> {loss.item():.3f}")
assert loss.item() < first, "loss did not decrease"
print("sanity check passed")
