"""Training-curve drift of CSPNeXt's channels_last train mode on CPU.

Trains the same RTMPose model from the same seed on the same fixed batches
(the demo config's training pipeline, drawn once) three times: float32
NCHW (the CPU default), float32 channels_last and float64 NCHW (the
yardstick), and prints the losses and the parameter distance from the
float64 run every ``--log-every`` steps.

Usage::

    python tools/analysis/train_precision.py [--config CFG] [--steps 100]
"""
import argparse
import copy
import os.path as osp
import sys

sys.path.insert(0,
                osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from rtmpose.config_loading import load_config  # noqa: E402
from rtmpose.registry import DATASETS, MODELS  # noqa: E402


def fixed_batches(cfg, num_batches: int, batch_size: int, seed: int):
    torch.manual_seed(seed)
    np.random.seed(seed)
    ds = DATASETS.build(cfg.train_dataloader.dataset)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(ds), num_batches * batch_size, replace=False)
    return [pseudo_collate([ds[int(i)] for i in idx[b::num_batches]])
            for b in range(num_batches)]


def train(model, batches, steps: int, lr: float, dtype):
    model = model.to(dtype).train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    for step in range(steps):
        data = model.data_preprocessor(batches[step % len(batches)], True)
        loss = model(data['inputs'].to(dtype), data['data_samples'],
                     mode='loss')['loss_kpt']
        opt.zero_grad()
        loss.backward()
        opt.step()
        yield step, loss.item(), model


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--config', default='configs/demo/rtmpose-t_demo.py')
    p.add_argument('--steps', type=int, default=100)
    p.add_argument('--batches', type=int, default=8)
    p.add_argument('--batch-size', type=int, default=16)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--log-every', type=int, default=10)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--data-root', default='/tmp/rtmpose_precision_data/',
                   help='synthetic data folder (made on first use, 200 '
                   'training images)')
    args = p.parse_args()
    torch.set_num_threads(1)
    MMLogger.get_instance('mmengine', log_level='WARNING')
    cfg = load_config(args.config)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    cfg.model.backbone.pop('init_cfg', None)
    cfg.train_dataloader.dataset.update(
        data_root=args.data_root,
        synthetic_cfg=dict(num_train_images=200, num_val_images=1, seed=0))
    batches = fixed_batches(cfg, args.batches, args.batch_size, args.seed)
    torch.manual_seed(args.seed)
    base = MODELS.build(cfg.model)
    base.init_weights()
    runs = {}
    for name, dtype, nhwc in (('float64 NCHW', torch.float64, False),
                              ('float32 NCHW', torch.float32, False),
                              ('float32 channels_last', torch.float32, True)):
        model = copy.deepcopy(base)
        model.backbone.channels_last_train = nhwc
        log = []
        for step, loss, m in train(model, batches, args.steps, args.lr,
                                   dtype):
            if (step + 1) % args.log_every == 0 or step == 0:
                params = torch.cat([q.detach().double().reshape(-1)
                                    for q in m.parameters()])
                log.append((step + 1, loss, params))
        runs[name] = log
    yard = runs['float64 NCHW']
    print(f'{"step":>5s} ' + ' '.join(f'{n:>26s}' for n in runs))
    for i, (step, loss64, p64) in enumerate(yard):
        cells = []
        for name, log in runs.items():
            _, loss, params = log[i]
            dist = float((params - p64).norm() / p64.norm())
            cells.append(f'{loss:.6f} ({dist:.1e})')
        print(f'{step:5d} ' + ' '.join(f'{c:>26s}' for c in cells))
    print('cells: training loss (parameter distance from the float64 run, '
          'relative)')


if __name__ == '__main__':
    main()
