"""Light U-Net for the lesion detector: stride-2 stem, 5 levels, output at S/2 upsampled to S."""
import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTHS = (16, 32, 48, 64, 96)


def block(cin, cout, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class LesionNet(nn.Module):
    def __init__(self, widths=WIDTHS, out_ch=2):
        super().__init__()
        w = widths
        self.enc = nn.ModuleList([block(1, w[0], 2)] + [block(w[i - 1], w[i], 2) for i in range(1, len(w))])
        self.dec = nn.ModuleList([block(w[i + 1] + w[i], w[i]) for i in range(len(w) - 1)])
        self.head = nn.Conv2d(w[0], out_ch, 1)

    def forward(self, x, logits=False):
        skips = []
        h = x
        for e in self.enc:
            h = e(h)
            skips.append(h)
        h = skips[-1]
        for i in range(len(self.dec) - 1, -1, -1):
            h = F.interpolate(h, size=skips[i].shape[-2:], mode="bilinear", align_corners=False)
            h = self.dec[i](torch.cat([h, skips[i]], 1))
        h = self.head(h)
        h = F.interpolate(h, size=x.shape[-2:], mode="bilinear", align_corners=False)
        return h if logits else torch.sigmoid(h)
