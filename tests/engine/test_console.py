"""The quiet console: what reaches it, the progress bar on a pipe and a
terminal, the number formats."""
import io
import logging
import re

import pytest
from mmengine.hooks import Hook
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import (ITERS_PER_EPOCH, build_runner, stage_pipeline,
                          toy_cfg)

from rtmpose.engine.console import (format_duration, format_metrics,
                                    quiet_console)
from rtmpose.progress import Progress


class _Terminal(io.StringIO):

    def isatty(self):
        return True


def test_pipe_gets_a_line_every_quarter():
    out = io.StringIO()
    bar = Progress(40, 'epoch 1/3', stream=out)
    for n in range(1, 41):
        bar.update(n, f'loss={1 / n:.3g}')
    bar.close()
    lines = out.getvalue().splitlines()
    assert '\r' not in out.getvalue()
    assert [ln.split('|')[0] for ln in lines] == [
        'epoch 1/3:  25%', 'epoch 1/3:  50%', 'epoch 1/3:  75%',
        'epoch 1/3: 100%'
    ]
    assert lines[-1].endswith('it/s, loss=0.025]') and '40/40' in lines[-1]


def test_terminal_gets_a_live_bar():
    out = _Terminal()
    bar = Progress(40, 'epoch 1/3', stream=out)
    for n in range(1, 41):
        bar.update(n, 'loss=1')
    bar.close()
    text = out.getvalue()
    assert '\r' in text and '40/40' in text and 'loss=1' in text


def test_quiet_console_keeps_everything_in_the_file(tmp_path):
    logger = logging.getLogger('rtmpose-test-quiet-console')
    logger.setLevel(logging.INFO)
    logger.propagate = False
    console = io.StringIO()
    logger.handlers = [logging.StreamHandler(console),
                       logging.FileHandler(tmp_path / 'run.log')]
    quiet_console(logger)
    logger.info('Config: the whole config')
    logger.warning('"FileClient" will be deprecated in future.')
    logger.warning('lr differs from the base batch size')
    for handler in logger.handlers:
        handler.flush()
    assert console.getvalue() == 'lr differs from the base batch size\n'
    assert (tmp_path / 'run.log').read_text().splitlines() == [
        'Config: the whole config',
        '"FileClient" will be deprecated in future.',
        'lr differs from the base batch size'
    ]
    logger.handlers[1].close()


def test_formats():
    assert format_duration(42.06) == '42.1 s'
    assert format_duration(494) == '8 min 14 s'
    assert format_duration(3720) == '1 h 02 min'
    assert format_metrics({'coco/AP': 0.72204, 'coco/AP .5': 0.959,
                           'step': 3}) == 'coco/AP: 0.7220  coco/AP .5: 0.9590'


class _RecordLoss(Hook):
    priority = 'LOW'  # before ConsoleReportHook (LOWEST)

    def __init__(self):
        self.losses = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.losses.append(outputs['loss'].item())


def test_report_hook_shows_the_epoch_mean_loss(tmp_path, capsys):
    record = _RecordLoss()
    cfg = toy_cfg(tmp_path, max_epochs=2, ema=False)
    cfg.default_hooks.console = dict(type='ConsoleReportHook',
                                     progress_bar=True, line_percent=25)
    runner = build_runner(cfg)
    runner.register_hook(record)
    runner.train()
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith('epoch 2/2')]
    shown = [float(re.search(r'loss=([^,]+),', line).group(1))
             for line in lines]
    epoch_2 = record.losses[ITERS_PER_EPOCH:]
    assert len(shown) == ITERS_PER_EPOCH == len(epoch_2)
    for n, value in enumerate(shown, start=1):
        mean = sum(epoch_2[:n]) / n
        assert abs(value - mean) <= 1e-3 * abs(mean)


@pytest.mark.parametrize('rule', ['less', 'greater'])
def test_report_hook_best_follows_the_checkpoint_rule(tmp_path, capsys, rule):
    """The summary's best is the checkpoint hook's best, by its ``rule``
    (``weight_sum`` is on no built-in list)."""
    loader = dict(batch_size=4, num_workers=0,
                  sampler=dict(type='DefaultSampler', shuffle=False),
                  dataset=dict(type='ToyDataset',
                               pipeline=stage_pipeline(1, jitter=False)))
    cfg = toy_cfg(tmp_path, max_epochs=4, ema=False, val_dataloader=loader,
                  val_cfg=dict(), val_evaluator=dict(type='ToyWeightMetric'))
    cfg.train_cfg.val_interval = 1
    cfg.default_hooks.console = dict(type='ConsoleReportHook',
                                     progress_bar=False)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=1,
                                        save_best='weight_sum', rule=rule)
    build_runner(cfg).train()
    out = capsys.readouterr().out
    values = {int(e): float(v) for e, v in re.findall(
        r'val epoch (\d+): weight_sum: (\S+)', out)}
    assert len(values) == 4 and len(set(values.values())) == 4
    pick = min if rule == 'less' else max
    epoch = pick(values, key=values.get)
    assert f'best weight_sum {values[epoch]:.4f} at epoch {epoch}' in out
    assert re.search(rf'best checkpoint: .*best_weight_sum_epoch_{epoch}\.pth',
                     out)
