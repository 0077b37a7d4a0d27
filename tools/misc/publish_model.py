"""Write the deployable weights of a training checkpoint.

    python tools/misc/publish_model.py IN OUT

keeps ``state_dict`` (the EMA weights when training used ``EMAHook``, which
saves them there) and a small ``meta`` (epoch, iter, dataset_meta, versions);
drops the optimiser, schedulers, message hub and raw (non-EMA) weights. The
file is named ``OUT`` with the first 8 hex digits of its sha256 before
``.pth``: ``rtmpose-m.pth`` -> ``rtmpose-m-1a2b3c4d.pth``.
"""
import argparse
import hashlib
import io
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

import torch  # noqa: E402

from rtmpose.checkpoint import get_state_dict, load_checkpoint  # noqa: E402
from rtmpose.fileio import atomic_write  # noqa: E402

META_KEYS = ('epoch', 'iter', 'dataset_meta', 'mmengine_version', 'seed',
             'experiment_name', 'time')


def publish(in_file: str, out_file: str) -> str:
    """Write the published file and return its final path."""
    checkpoint = load_checkpoint(in_file)
    state_dict = get_state_dict(checkpoint)
    not_tensors = [k for k, v in state_dict.items()
                   if not isinstance(v, torch.Tensor)]
    if not_tensors:
        raise TypeError(f'{in_file}: state_dict entries {not_tensors[:5]} '
                        'are not tensors')
    meta = checkpoint.get('meta', {})
    published = dict(
        state_dict={k: v.contiguous() for k, v in state_dict.items()},
        meta={k: meta[k] for k in META_KEYS if k in meta})
    stem = out_file[:-len('.pth')] if out_file.endswith('.pth') else out_file
    # the name holds the content's hash: serialise first, then write once
    buffer = io.BytesIO()
    torch.save(published, buffer)
    data = buffer.getvalue()
    final = f'{stem}-{hashlib.sha256(data).hexdigest()[:8]}.pth'
    atomic_write(final, data)
    return final


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Keep only the (EMA) weights of a checkpoint')
    parser.add_argument('in_file', help='training checkpoint')
    parser.add_argument('out_file', help='output name, e.g. rtmpose-m.pth')
    args = parser.parse_args(argv)
    final = publish(args.in_file, args.out_file)
    print(f'published {args.in_file} -> {final} '
          f'({osp.getsize(final) / 2**20:.1f} MiB)')
    return final


if __name__ == '__main__':
    main()
