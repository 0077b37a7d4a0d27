"""tools/analysis/browse_dataset.py on a tiny synthetic dataset."""
import importlib.util
import os.path as osp

import cv2
import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.mark.parametrize('phase', ['train', 'val'])
def test_browse(phase, tmp_path):
    data_root = str(tmp_path / 'data') + '/'
    config = tmp_path / 'cfg.py'
    tiny = 'dict(num_train_images=3, num_val_images=2, seed=0)'
    config.write_text(
        f"_base_ = ['{ROOT}/configs/demo/rtmpose-t_demo.py']\n"
        f'train_dataloader = dict(dataset=dict(data_root={data_root!r}, '
        f'synthetic_cfg={tiny}))\n'
        f'val_dataloader = dict(dataset=dict(data_root={data_root!r}, '
        f'synthetic_cfg={tiny}))\n')
    spec = importlib.util.spec_from_file_location(
        'browse_dataset', osp.join(ROOT, 'tools/analysis/browse_dataset.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    written = tool.main([
        str(config), '--out',
        str(tmp_path / 'vis'), '--phase', phase, '--n', '3'
    ])
    assert len(written) == 3
    for path in written:
        img = cv2.imread(path)
        # input (128 x 96) with keypoints | the same with its targets
        assert img.shape == (128, 192, 3)
        left, right = img[:, :96].astype(int), img[:, 96:].astype(int)
        if phase == 'train':  # SimCC targets drawn on the right
            assert abs(left - right).mean() > 1


def test_scale(tmp_path):
    data_root = str(tmp_path / 'data') + '/'
    config = tmp_path / 'cfg.py'
    tiny = 'dict(num_train_images=2, num_val_images=1, seed=0)'
    config.write_text(
        f"_base_ = ['{ROOT}/configs/demo/rtmpose-t_demo.py']\n"
        f'train_dataloader = dict(dataset=dict(data_root={data_root!r}, '
        f'synthetic_cfg={tiny}))\n')
    spec = importlib.util.spec_from_file_location(
        'browse_dataset', osp.join(ROOT, 'tools/analysis/browse_dataset.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    plain = tool.main([str(config), '--out', str(tmp_path / 'a'), '--n', '1'])
    big = tool.main([str(config), '--out', str(tmp_path / 'b'), '--n', '1',
                     '--scale', '3'])
    small, large = cv2.imread(plain[0]), cv2.imread(big[0])
    assert small.shape == (128, 192, 3) and large.shape == (384, 576, 3)
    # the same picture, 3x larger (the drawing differs only in dot sizes)
    shrunk = cv2.resize(large, (192, 128), interpolation=cv2.INTER_AREA)
    assert abs(shrunk.astype(int) - small.astype(int)).mean() < 20
