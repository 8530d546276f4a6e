"""Fixtures for unit `transforms`: torchvision 0.14.1's TenCrop / FiveCrop on image tensors."""
import os

import numpy as np
import torch
from PIL import Image
import torchvision.transforms as T
import torchvision.transforms.functional as TF

IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images")


def generate(w):
    # A small image whose values say where they came from: 100·c + 10·y + x... as floats.
    img = torch.arange(3 * 7 * 9, dtype=torch.float32).reshape(3, 7, 9)
    for name, size, vflip in [("transforms/ten_crop_4", 4, False), ("transforms/ten_crop_3x5", (3, 5), False),
                              ("transforms/ten_crop_4_vertical", 4, True), ("transforms/ten_crop_full", (7, 9), False)]:
        c = w.case(name, "ten_crop", {"size": list(size) if isinstance(size, tuple) else [size, size],
                                      "vertical_flip": vflip})
        t = T.TenCrop(size, vertical_flip=vflip)
        c.add("input", img)
        c.add("output", torch.stack(t(img)))
        c.entry["options"]["repr"] = repr(t)
    # (H, W) and (N, C, H, W) images: every transform works on the last two dimensions.
    for name, shape in [("transforms/ten_crop_2d_image", (7, 9)), ("transforms/ten_crop_4d_image", (2, 3, 7, 9))]:
        c = w.case(name, "ten_crop", {"size": [3, 5], "vertical_flip": True})
        x = torch.arange(float(np.prod(shape)), dtype=torch.float32).reshape(shape)
        c.add("input", x)
        c.add("output", torch.stack(T.TenCrop((3, 5), vertical_flip=True)(x)))
        c.entry["options"]["repr"] = repr(T.TenCrop((3, 5), vertical_flip=True))
    c = w.case("transforms/five_crop_4x3", "five_crop", {"size": [4, 3]})
    c.add("input", img)
    c.add("output", torch.stack(T.FiveCrop((4, 3))(img)))
    c.entry["options"]["repr"] = repr(T.FiveCrop((4, 3)))
    # Halves round to even in center_crop: (8-3)/2 = 2.5 -> 2, (7-4)/2 = 1.5 -> 2.
    c = w.case("transforms/center_crop_halves", "center_crop", {})
    img2 = torch.arange(2 * 8 * 7, dtype=torch.float32).reshape(2, 8, 7)
    c.add("input", img2)
    c.add("output", T.CenterCrop((3, 4))(img2))
    # Windows leaving the image: torchvision pads with zeros (crop), and center_crop pads a crop
    # larger than the image, (c - n) // 2 before and the rest after.
    small = torch.arange(1, 2 * 3 * 4 + 1, dtype=torch.float32).reshape(2, 3, 4)
    for name, (top, left, h, wd) in {"crop_above_left": (-1, -2, 3, 3), "crop_below_right": (2, 3, 3, 3),
                                     "crop_around": (-2, -1, 6, 7), "crop_outside": (5, 0, 2, 2)}.items():
        c = w.case(f"transforms/{name}", "crop", {"top": top, "left": left, "height": h, "width": wd})
        c.add("input", small)
        c.add("output", TF.crop(small, top, left, h, wd))
    for name, size in {"center_crop_padded": (5, 3), "center_crop_padded_odd": (4, 7),
                       "center_crop_padded_both": (6, 9)}.items():
        c = w.case(f"transforms/{name}", "center_crop", {"size": list(size)})
        c.add("input", small)
        c.add("output", TF.center_crop(small, list(size)))
    c = w.case("transforms/errors", "ten_crop", {})
    try:
        T.TenCrop(8)(img)
    except ValueError as e:
        c.entry["options"]["too_big"] = str(e)
    # Too big in one dimension only: the height, then the width.
    for key, size in (("too_tall", (8, 4)), ("too_wide", (4, 10))):
        try:
            T.TenCrop(size)(torch.zeros(3, 7, 9))
        except ValueError as e:
            c.entry["options"][key] = str(e)
    # The course's use: TenCrop(224) of a real image, each crop summed per channel.
    a = np.asarray(Image.open(os.path.join(IMAGES, "astronaut.png")).convert("RGB"), dtype=np.uint8)
    photo = torch.from_numpy(a.astype(np.float32) / np.float32(255)).permute(2, 0, 1).contiguous()
    c = w.case("transforms/astronaut_224", "ten_crop", {}, tolerance={"rtol": 1e-5, "atol": 1e-3})
    crops = torch.stack(T.TenCrop(224)(photo))
    c.add("channel_sums", crops.double().sum(dim=(2, 3)).float())
    c.add("corner_pixels", crops[:, :, [0, 0, 223, 223], [0, 223, 0, 223]])
