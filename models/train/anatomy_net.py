"""Compact U-Net for multi-label chest anatomy (logits out; sigmoid added at export)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """Plain U-Net: conv blocks, max-pool down, bilinear up + skip concat."""

    def __init__(self, n_classes, widths=(16, 32, 48, 64, 96)):
        super().__init__()
        self.down = nn.ModuleList()
        cin = 1
        for w in widths:
            self.down.append(conv_block(cin, w))
            cin = w
        self.up = nn.ModuleList()
        for w_skip in reversed(widths[:-1]):
            self.up.append(conv_block(cin + w_skip, w_skip))
            cin = w_skip
        self.head = nn.Conv2d(cin, n_classes, 1)

    def forward(self, x):
        skips = []
        for i, block in enumerate(self.down):
            if i:
                x = F.max_pool2d(x, 2)
            x = block(x)
            skips.append(x)
        for block, skip in zip(self.up, reversed(skips[:-1])):
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = block(torch.cat([x, skip], 1))
        return self.head(x)


class WithSigmoid(nn.Module):
    """Export wrapper: the served graph outputs probabilities."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image):
        return torch.sigmoid(self.net(image))
