"""``rtmpose models``: the published models and solutions one can ask for by
name, and whether their weights are on this machine."""
import argparse
import os
from typing import List, Optional

from rtmpose import hub, model_index


def format_table(task: Optional[str] = None) -> str:
    """The models (of ``task``) and the solutions, one line each."""
    rows = [('name', 'task', 'input', 'AP', 'params', 'weights')]
    for m in model_index.MODELS.values():
        if task and m.task != task:
            continue
        cached = model_index.cached_weights(m)
        rows.append((m.name, m.task, f'{m.input_size[1]}x{m.input_size[0]}',
                     f'{m.ap:.1f}', f'{m.params_m:.1f}M',
                     'cached' if cached else 'not fetched'))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ['  '.join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
             for r in rows]
    lines += ['', 'solutions (detector + pose model):']
    lines += [f'  {s.name:14s} {s.detector} + {s.pose}: {s.description}'
              for s in model_index.SOLUTIONS.values()]
    lines += ['', 'AP: the reference\'s on COCO val2017 (body: keypoint AP; '
              'wholebody: whole-body AP; detection: person box AP). Weights '
              f'are fetched once into {hub.cache_dir()}'
              + (f' (looked for in {os.environ[hub.HOME_ENV]} first)'
                 if os.environ.get(hub.HOME_ENV) else '')]
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> str:
    parser = argparse.ArgumentParser(
        prog='rtmpose models',
        description='List the published models and solutions that the '
        'commands and the Python API accept by name')
    parser.add_argument('--task', choices=['body', 'wholebody', 'detection'],
                        help='list only the models of this task')
    hub.add_weights_dir_argument(parser)
    args = parser.parse_args(argv)
    hub.set_weights_dir(args.weights_dir)
    table = format_table(args.task)
    print(table)
    return table
