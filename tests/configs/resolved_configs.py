"""The fully resolved dict of every config under ``configs/`` (``_base_``
files aside), for the snapshot test in ``test_resolved_configs.py``.

Regenerate the snapshot only when a config is MEANT to change::

    PYTHONPATH=. python tests/configs/resolved_configs.py
"""
import glob
import json
import os.path as osp

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SNAPSHOT = osp.join(osp.dirname(osp.abspath(__file__)),
                    'resolved_configs.json')


def config_names():
    """Config paths relative to the repository root, sorted."""
    paths = glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    return sorted(
        osp.relpath(p, ROOT) for p in paths
        if '_base_' not in osp.relpath(p, ROOT).split(osp.sep))


def resolve(name):
    """The config's dict after inheritance, as JSON values (tuples become
    lists)."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(ROOT, name))
    return json.loads(json.dumps(cfg.to_dict(), sort_keys=True))


if __name__ == '__main__':
    snapshot = {name: resolve(name) for name in config_names()}
    with open(SNAPSHOT, 'w') as f:
        json.dump(snapshot, f, indent=1, sort_keys=True)
        f.write('\n')
    print(f'{len(snapshot)} configs -> {SNAPSHOT}')
