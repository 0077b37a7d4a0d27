from .checkpoint_hook import AtomicCheckpointHook
from .console_report_hook import ConsoleReportHook
from .interrupt_checkpoint_hook import (InterruptCheckpointHook,
                                        WorkerSignalGuard)
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .pipeline_switch_hook import PipelineSwitchHook
from .plain_checkpoint_hook import PlainCheckpointHook
from .results_plot_hook import ResultsPlotHook
from .startup_check_hook import StartupCheckHook

__all__ = [
    'AtomicCheckpointHook', 'PlainCheckpointHook', 'InterruptCheckpointHook',
    'NonFiniteLossError', 'NonFiniteLossHook', 'PipelineSwitchHook',
    'StartupCheckHook', 'WorkerSignalGuard', 'ConsoleReportHook',
    'ResultsPlotHook'
]
