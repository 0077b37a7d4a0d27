"""tools/analysis/get_flops.py reproduces the RTMPose paper's GFLOPs."""
import importlib.util
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# paper Table (256x192): GFLOPs counted as multiply-adds, params (M)
PAPER = {
    't': (0.36, 3.34),
    's': (0.68, 5.47),
    'm': (1.93, 13.59),
    'l': (4.16, 27.66)
}


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        'get_flops', osp.join(ROOT, 'tools/analysis/get_flops.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('size', list(PAPER))
def test_paper_gflops(size, capsys):
    tool = _load_tool()
    config = osp.join(
        ROOT, f'configs/rtmpose/coco/rtmpose-{size}_8xb256-420e_coco-'
        '256x192.py')
    gflops, params = tool.main([config])
    paper_gflops, paper_params = PAPER[size]
    assert abs(gflops / paper_gflops - 1) < 0.05, gflops
    assert abs(params / paper_params - 1) < 0.01, params
    assert 'GFLOPs' in capsys.readouterr().out


def test_input_shape_must_fit_the_head():
    tool = _load_tool()
    config = osp.join(
        ROOT, 'configs/rtmpose/coco/rtmpose-t_8xb256-420e_coco-256x192.py')
    with pytest.raises(ValueError, match='in_featuremap_size'):
        tool.main([config, '--input-shape', '384', '288'])
