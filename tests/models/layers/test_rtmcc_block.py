import math

import torch

from rtmpose.models.layers import (RTMCCBlock, Scale, ScaleNorm,
                                   rotary_position_encoding)


def test_scale_norm_and_scale():
    norm = ScaleNorm(16)
    x = torch.randn(3, 5, 16)
    y = norm(x)
    # every vector rescaled to L2 norm sqrt(dim)
    assert torch.allclose(y.norm(dim=-1), torch.full((3, 5), 4.0), atol=1e-5)
    assert torch.allclose(ScaleNorm(16)(torch.zeros(2, 16)), torch.zeros(2,
                                                                         16))
    scale = Scale(4, init_value=2.)
    assert torch.equal(scale(torch.ones(2, 4)), torch.full((2, 4), 2.))


def test_attention_matches_formula():
    torch.manual_seed(0)
    block = RTMCCBlock(5, 8, 8, expansion_factor=2, s=4, act_fn='SiLU',
                       use_rel_bias=False).eval()
    x = torch.randn(2, 5, 8)
    z = ScaleNorm(8)(x)
    u, v, base = torch.split(
        torch.nn.functional.silu(z @ block.uv.weight.T), [16, 16, 4], -1)
    q = base * block.gamma[0] + block.beta[0]
    k = base * block.gamma[1] + block.beta[1]
    a = torch.relu(q @ k.transpose(1, 2) / math.sqrt(4))**2
    expected = block.res_scale.scale * x + (u * (a @ v)) @ block.o.weight.T
    assert torch.allclose(block(x), expected, atol=1e-5)


def test_shapes_and_no_shortcut_when_dims_differ():
    block = RTMCCBlock(17, 32, 24, s=16, act_fn='ReLU', use_rel_bias=False)
    assert block.res_scale is None
    assert block(torch.randn(3, 17, 32)).shape == (3, 17, 24)


def test_relative_bias_is_toeplitz():
    block = RTMCCBlock(6, 8, 8, s=4, use_rel_bias=True)
    bias = block.rel_pos_bias(6)
    assert bias.shape == (6, 6)
    for i in range(6):
        for j in range(6):
            assert bias[i, j] == block.w[j - i + 5]
    # fewer tokens n: centred on w[n - 1]
    short = block.rel_pos_bias(3)
    assert torch.equal(torch.diagonal(short), block.w[2].expand(3))
    assert block(torch.randn(2, 6, 8)).shape == (2, 6, 8)


def test_rotary_encoding_is_relative():
    torch.manual_seed(0)
    q = torch.randn(1, 1, 8).expand(1, 7, 8)  # same vector everywhere
    k = torch.randn(1, 1, 8).expand(1, 7, 8)
    rq, rk = rotary_position_encoding(q), rotary_position_encoding(k)
    # rotations keep norms; dot products depend on the offset only
    assert torch.allclose(rq.norm(dim=-1), q.norm(dim=-1), atol=1e-4)
    dots = rq[0] @ rk[0].T
    assert torch.allclose(dots[0, 2], dots[3, 5], atol=1e-3)
    assert torch.allclose(dots[1, 1], dots[4, 4], atol=1e-3)
    block = RTMCCBlock(7, 8, 8, s=4, use_rel_bias=False, pos_enc=True)
    assert block(torch.randn(2, 7, 8)).shape == (2, 7, 8)
