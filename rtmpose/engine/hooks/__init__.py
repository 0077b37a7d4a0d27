from .console_report_hook import ConsoleReportHook
from .interrupt_checkpoint_hook import InterruptCheckpointHook
from .pipeline_switch_hook import PipelineSwitchHook
from .plain_checkpoint_hook import PlainCheckpointHook
from .results_plot_hook import ResultsPlotHook
from .startup_check_hook import StartupCheckHook

__all__ = [
    'PlainCheckpointHook', 'InterruptCheckpointHook', 'PipelineSwitchHook',
    'StartupCheckHook', 'ConsoleReportHook', 'ResultsPlotHook'
]
