"""Fixtures for unit `unpooling`: max unpooling with the indices of max pooling (see generate_fixtures.py)."""
import torch
import torch.nn.functional as F

from _portable import randn

POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
UNPOOL = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}


def tup(v, d):
    return list(v) if isinstance(v, (tuple, list)) else [v] * d


def unpool_case(w, name, shape, d, k, s=None, p=0, output_size=None):
    """Pools a random input with (k, s, p), then unpools the pooled values with the same options."""
    opts = {"D": d, "kernel_size": tup(k, d), "stride": tup(k if s is None else s, d), "padding": tup(p, d)}
    if output_size is not None:
        opts["output_size"] = list(output_size)
    c = w.case(name, "max_unpool", opts)
    pooled, idx = POOL[d](randn(shape), k, s, p, return_indices=True)
    x = pooled.detach().clone().requires_grad_(True)
    y = UNPOOL[d](x, idx, k, s, p, output_size)
    g = randn(y.shape)
    y.backward(g)
    c.add("input", x)
    c.add("indices", idx)
    c.add("output", y)
    c.add("grad_output", g)
    c.add("grad_input", x.grad)


def error_case(w, name, d, k, s, x_shape, indices, output_size, fn):
    opts = {"D": d, "kernel_size": tup(k, d), "stride": tup(s, d), "padding": tup(0, d), "input_shape": list(x_shape)}
    if output_size is not None:
        opts["output_size"] = list(output_size)
    c = w.case(name, "max_unpool", opts)
    c.add("indices", indices)
    c.error(fn)


def generate(w):
    # max_unpool has no "deterministic" flag in ATen, though its CPU kernel is a plain serial loop.
    torch.use_deterministic_algorithms(False)
    try:
        cases(w)
    finally:
        torch.use_deterministic_algorithms(True)


def cases(w):
    unpool_case(w, "max_unpool/2d_k2", (2, 3, 8, 8), 2, 2)
    unpool_case(w, "max_unpool/2d_output_size", (1, 2, 5, 5), 2, 2, 2, 0, (5, 5))  # default would be 4x4
    unpool_case(w, "max_unpool/2d_output_size_nchw", (1, 2, 5, 5), 2, 2, 2, 0, (1, 2, 5, 5))
    unpool_case(w, "max_unpool/2d_k3_s2_p1", (1, 2, 7, 7), 2, 3, 2, 1)  # overlapping windows: repeated indices
    unpool_case(w, "max_unpool/2d_unbatched", (3, 6, 6), 2, 2)
    unpool_case(w, "max_unpool/1d", (2, 3, 9), 1, 3, 2, 1)
    unpool_case(w, "max_unpool/1d_unbatched", (3, 9), 1, 3, 2, 1)
    unpool_case(w, "max_unpool/3d", (1, 2, 4, 6, 5), 3, 2, 2, 0, (4, 6, 5))
    # output_size with D + 2 entries in 1-D and 3-D; a 3-D unbatched input.
    unpool_case(w, "max_unpool/1d_output_size_ncl", (1, 2, 7), 1, 2, 2, 0, (1, 2, 7))  # default would be 6
    unpool_case(w, "max_unpool/3d_output_size_ncdhw", (1, 2, 5, 4, 5), 3, 2, 2, 0, (1, 2, 5, 4, 5))
    unpool_case(w, "max_unpool/3d_unbatched", (2, 4, 6, 4), 3, 2)

    # One index written by several inputs with different values: the last write wins (PyTorch's CPU
    # loop runs in order within a plane), and the backward still gathers for every input.
    c = w.case("max_unpool/repeated_index_distinct_values", "max_unpool",
               {"D": 2, "kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0]})
    x = torch.tensor([[[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]]], requires_grad=True)
    idx = torch.tensor([[[[5, 5], [5, 10]], [[0, 15], [0, 3]]]])
    y = F.max_unpool2d(x, idx, 2)
    g = randn(y.shape)
    y.backward(g)
    for key, v in [("input", x), ("indices", idx), ("output", y), ("grad_output", g), ("grad_input", x.grad)]:
        c.add(key, v)

    x = torch.arange(1., 17.).reshape(1, 1, 4, 4)
    y, i = F.max_pool2d(x, 2, return_indices=True)
    c = w.case("max_unpool/hand_1_to_16_into_5x5", "max_unpool",
               {"D": 2, "kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0], "output_size": [5, 5]})
    c.add("input", y)
    c.add("indices", i)
    c.add("output", F.max_unpool2d(y, i, 2, output_size=(5, 5)))  # flat indices reread in a 5-wide plane

    error_case(w, "unpool_error/invalid_index", 2, 2, 2, (1, 1, 2, 2), i * 10, None,
               lambda: F.max_unpool2d(y, i * 10, 2))
    error_case(w, "unpool_error/negative_index", 2, 2, 2, (1, 1, 2, 2), -i, None,
               lambda: F.max_unpool2d(y, -i, 2))
    error_case(w, "unpool_error/index_outside_small_output", 2, 2, 1, (1, 1, 2, 2), i, (3, 3),
               lambda: F.max_unpool2d(y, i, 2, 1, output_size=(3, 3)))
    past_end = torch.tensor([[[[0, 5], [10, 16]]]])  # 16: one past the end of the 4x4 output plane
    error_case(w, "unpool_error/index_one_past_end", 2, 2, 2, (1, 1, 2, 2), past_end, None,
               lambda: F.max_unpool2d(y, past_end, 2))
    y1, i1 = F.max_pool1d(torch.arange(6.).reshape(1, 1, 6), 2, return_indices=True)
    error_case(w, "unpool_error/invalid_index_1d", 1, 2, 2, (1, 1, 3), i1 * 10, None,
               lambda: F.max_unpool1d(y1, i1 * 10, 2))
    y3, i3 = F.max_pool3d(torch.arange(8.).reshape(1, 1, 2, 2, 2), 2, return_indices=True)
    error_case(w, "unpool_error/invalid_index_3d", 3, 2, 2, (1, 1, 1, 1, 1), i3 * 10, None,
               lambda: F.max_unpool3d(y3, i3 * 10, 2))
    error_case(w, "unpool_error/indices_shape", 2, 2, 2, (1, 1, 2, 2), i[..., :1], None,
               lambda: F.max_unpool2d(y, i[..., :1], 2))
    error_case(w, "unpool_error/wrong_dims", 2, 2, 2, (2, 2), i[0, 0], None,
               lambda: F.max_unpool2d(y[0, 0], i[0, 0], 2))

    # Empty dims: an empty batch is fine, any other empty dim is PyTorch's error (1-D: of its 2-D view).
    for name, d, shape in [("empty_height_2d", 2, (1, 1, 0, 2)), ("empty_channels_2d", 2, (1, 0, 2, 2)),
                           ("empty_unbatched_2d", 2, (1, 0, 2)), ("empty_length_1d", 1, (1, 1, 0)),
                           ("empty_depth_3d", 3, (1, 1, 0, 2, 2))]:
        idx = torch.zeros(shape, dtype=torch.long)
        fn = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}[d]
        error_case(w, "unpool_error/" + name, d, 2, 2, shape, idx, None,
                   lambda: fn(torch.zeros(shape), idx, 2))

    # Two planes: an index is bounded by its own plane (16 cells), not by the whole output (32).
    two_planes = torch.zeros(1, 2, 2, 2, dtype=torch.long)
    two_planes[0, 0, 1, 1] = 16
    error_case(w, "unpool_error/index_past_plane_of_two", 2, 2, 2, (1, 2, 2, 2), two_planes, None,
               lambda: F.max_unpool2d(torch.zeros(1, 2, 2, 2), two_planes, 2))
    # The rank is checked before the indices' shape; 1-D reports as max_unpooling2d, one dimension more.
    short = torch.zeros(2, 1, dtype=torch.long)
    error_case(w, "unpool_error/wrong_dims_before_indices_shape", 2, 2, 2, (2, 2), short, None,
               lambda: F.max_unpool2d(torch.zeros(2, 2), short, 2))
    for name, d, shape in [("unpool_error/wrong_dims_1d", 1, (3,)), ("unpool_error/rank_4_1d", 1, (1, 1, 1, 3)),
                           ("unpool_error/wrong_dims_3d", 3, (2, 2, 2)),
                           ("unpool_error/rank_6_3d", 3, (1, 1, 1, 1, 2, 2)),
                           ("unpool_error/rank_5_2d", 2, (1, 1, 1, 2, 2))]:
        zeros = torch.zeros(shape, dtype=torch.long)
        error_case(w, name, d, 2, 2, shape, zeros, None,
                   lambda d=d, shape=shape, zeros=zeros: UNPOOL[d](torch.zeros(shape), zeros, 2))

    for name, size in [("unpool_error/output_size_too_big", (6, 6)), ("unpool_error/output_size_too_small", (2, 2)),
                       ("unpool_error/output_size_length", (1, 2, 3)),
                       ("unpool_error/output_size_bad_width", (4, 6))]:  # height fine, width not
        c = w.case(name, "unpool_output_size", {"input_shape": [1, 1, 2, 2], "kernel_size": [2, 2],
                                                "stride": [2, 2], "padding": [0, 0], "output_size": list(size)})
        c.error(lambda: F.max_unpool2d(y, i, 2, output_size=size))
    c = w.case("unpool_error/output_size_1d", "unpool_output_size", {
        "input_shape": [1, 1, 3], "kernel_size": [2], "stride": [2], "padding": [0], "output_size": [9]})
    c.error(lambda: F.max_unpool1d(y1, i1, 2, output_size=(9,)))
    # A refused size given with D + 2 entries: PyTorch prints only its spatial part.
    c = w.case("unpool_error/output_size_nchw_too_big", "unpool_output_size", {
        "input_shape": [1, 1, 2, 2], "kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0],
        "output_size": [1, 1, 6, 6]})
    c.error(lambda: F.max_unpool2d(y, i, 2, output_size=(1, 1, 6, 6)))
    # 3-D: a range error in height, and in width with D entries.
    y3, i3 = F.max_pool3d(torch.arange(64.).reshape(1, 1, 4, 4, 4), 2, return_indices=True)
    for name, size in [("unpool_error/output_size_3d_bad_height", (1, 1, 4, 6, 4)),
                       ("unpool_error/output_size_3d_bad_width", (4, 4, 2))]:
        c = w.case(name, "unpool_output_size", {"input_shape": [1, 1, 2, 2, 2], "kernel_size": [2, 2, 2],
                                                "stride": [2, 2, 2], "padding": [0, 0, 0], "output_size": list(size)})
        c.error(lambda size=size: F.max_unpool3d(y3, i3, 2, output_size=size))
