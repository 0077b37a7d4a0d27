"""``results.png``: the curves of a training run, per epoch.

Reads the ``vis_data/scalars.json`` files mmengine's ``LocalVisBackend``
writes under each run folder of a work dir (``WORK_DIR/<timestamp>/``; a
resumed run adds a folder, the later record of a step wins) and plots the
loss terms, the learning rate, the training accuracy (``acc_pose``) and
the validation metrics against the epoch.
"""
import glob
import json
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Tuple

import numpy as np

RESULTS_FILE = 'results.png'


def load_scalars(work_dir: str) -> Tuple[List[dict], List[dict]]:
    """(train records, val records) of every run under ``work_dir``.

    Train records carry ``epoch`` and ``step`` (iteration); val records
    carry ``step`` (the epoch validated) and the metrics (``coco/AP`` ...).
    """
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not files:
        raise FileNotFoundError(
            f'no */vis_data/scalars.json under {work_dir}: not a work dir of '
            'a training run (LocalVisBackend writes them)')
    train, val = {}, {}
    for path in files:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                record = json.loads(line)
                if 'epoch' in record:
                    train[record['step']] = record
                elif any('/' in k for k in record):
                    val[record['step']] = record
    return ([train[k] for k in sorted(train)], [val[k] for k in sorted(val)])


def _per_epoch(records: List[dict], key: str, last: bool = False):
    """(epochs, values): the mean (or last value) of ``key`` per epoch."""
    groups = defaultdict(list)
    for r in records:
        if key in r:
            groups[r['epoch']].append(r[key])
    epochs = sorted(groups)
    values = [groups[e][-1] if last else float(np.mean(groups[e]))
              for e in epochs]
    return epochs, values


def curve_panels(train: List[dict], val: List[dict]) -> Dict[str, list]:
    """Panel title -> [(label, epochs, values), ...]: ``loss`` (the total
    and every term), ``lr``, ``acc_pose`` (every accuracy term) and
    ``validation`` (metrics named without spaces: ``coco/AP``,
    ``coco/AR``)."""
    keys = []
    for r in train:
        keys += [k for k in r if k not in keys]
    panels: Dict[str, list] = {}
    losses = [k for k in keys if k.startswith('loss')]
    if losses:
        panels['loss'] = [(k, *_per_epoch(train, k)) for k in losses]
    if 'lr' in keys:
        panels['lr'] = [('lr (end of epoch)', *_per_epoch(train, 'lr',
                                                           last=True))]
    acc = [k for k in keys if k.startswith('acc')]
    if acc:
        panels['acc_pose' if 'acc_pose' in acc else acc[0]] = [
            (k, *_per_epoch(train, k)) for k in acc
        ]
    metrics = []
    for r in val:
        metrics += [k for k in r if '/' in k and ' ' not in k
                    and k not in metrics]
    if metrics:
        panels['validation'] = [
            (k, [r['step'] for r in val if k in r],
             [r[k] for r in val if k in r]) for k in metrics
        ]
    return panels


def plot_training_curves(work_dir: str,
                         out: Optional[str] = None) -> Dict[str, List[str]]:
    """Write ``results.png`` (default ``WORK_DIR/results.png``) and return
    {panel title: [line labels]}, also stored in the PNG's ``Description``
    text chunk as JSON."""
    import matplotlib
    matplotlib.use('Agg')  # files only, no display
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    train, val = load_scalars(work_dir)
    panels = curve_panels(train, val)
    if not panels:
        raise ValueError(f'{work_dir}: the scalars hold no losses, lr, '
                         'accuracy or validation metrics to plot')
    out = out or osp.join(work_dir, RESULTS_FILE)
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.5 * cols, 3.2 * rows),
                             squeeze=False)
    last = max(max(e, default=1) for lines in panels.values()
               for _, e, _ in lines)
    for ax, (title, lines) in zip(axes.flat, panels.items()):
        ax.set_xlim(0.5, last + 0.5)  # the same epochs on every panel
        for label, epochs, values in lines:
            ax.plot(epochs, values, marker='o', markersize=3, label=label)
        ax.set_title(title)
        ax.set_xlabel('epoch')
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if title == 'lr':
            ax.ticklabel_format(axis='y', style='sci', scilimits=(-2, 2))
        if len(lines) > 1:
            ax.legend(fontsize='small')
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(osp.basename(osp.normpath(work_dir)))
    fig.tight_layout()
    summary = {title: [label for label, _, _ in lines]
               for title, lines in panels.items()}
    fig.savefig(out, dpi=100,
                metadata={'Description': json.dumps(summary)})
    plt.close(fig)
    return summary
