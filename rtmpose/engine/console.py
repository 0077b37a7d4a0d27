"""The console of the command-line tools: what stays quiet, how lines look.

mmengine logs everything (config, hook order, ``paramwise_options``, init
report, a line every few iterations) to both the console and the work-dir
log file. :func:`quiet_console` keeps warnings and errors on the console
and everything in the file; the tools then print a few lines of their own
(:class:`~rtmpose.engine.hooks.ConsoleReportHook`, the test metrics).
"""
import logging
import sys

from tqdm import tqdm

# mmengine-internal deprecation notices a user cannot act on (mmengine's
# CheckpointHook builds a FileClient with the local backend on every run)
_INTERNAL_NOTICES = ('"FileClient" will be deprecated',
                     '"HardDiskBackend" is the alias of "LocalBackend"')


class _InternalNoticeFilter(logging.Filter):

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(_INTERNAL_NOTICES)


def console_handlers(logger: logging.Logger):
    """The handlers of ``logger`` writing to a terminal stream (not files)."""
    return [
        h for h in logger.handlers
        if isinstance(h, logging.StreamHandler)
        and not isinstance(h, logging.FileHandler)
    ]


def quiet_console(logger: logging.Logger) -> None:
    """Console handlers of ``logger`` show warnings and errors only (minus
    mmengine's internal deprecation notices); file handlers are untouched."""
    for handler in console_handlers(logger):
        handler.setLevel(max(handler.level, logging.WARNING))
        if not any(isinstance(f, _InternalNoticeFilter)
                   for f in handler.filters):
            handler.addFilter(_InternalNoticeFilter())


def echo(text: str) -> None:
    """Print to stdout without breaking a running progress bar."""
    tqdm.write(text, file=sys.stdout)
    sys.stdout.flush()


def format_metrics(metrics: dict) -> str:
    """``coco/AP: 0.7220  coco/AP .5: 0.9590 ...`` (floats, 4 decimals)."""
    return '  '.join(f'{k}: {v:.4f}' for k, v in metrics.items()
                     if isinstance(v, float))


def format_duration(seconds: float) -> str:
    """``8 min 14 s`` / ``42.1 s`` / ``1 h 02 min``."""
    if seconds < 60:
        return f'{seconds:.1f} s'
    minutes, sec = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f'{minutes} min {sec:02d} s'
    hours, minutes = divmod(minutes, 60)
    return f'{hours} h {minutes:02d} min'
