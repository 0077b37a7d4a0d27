"""The one progress bar of the toolbox (training epochs, prediction over
frames, weight downloads): tqdm on a terminal, plain periodic lines on a pipe
or in a log file. Torch-free, so every floor of the package can import it."""
import math
import sys
import time

from tqdm import tqdm


class Progress:
    """A progress bar over ``total`` iterations: tqdm on a terminal; on a
    pipe or file (CI) one plain line every ``line_percent`` percent (4 per
    epoch by default) instead of thousands of carriage returns."""

    def __init__(self, total: int, desc: str, stream=None,
                 line_percent: int = 25):
        self.stream = stream or sys.stdout
        self.total, self.desc = total, desc
        self.tty = hasattr(self.stream, 'isatty') and self.stream.isatty()
        self.step = max(1, math.ceil(total * line_percent / 100))
        self.start = time.perf_counter()
        self.n = 0
        self.bar = tqdm(total=total, desc=desc, file=self.stream,
                        dynamic_ncols=True, leave=True) if self.tty else None

    def update(self, n: int, postfix: str = '') -> None:
        """Done ``n`` iterations of ``total``."""
        if self.bar is not None:
            self.bar.set_postfix_str(postfix, refresh=False)
            self.bar.update(n - self.bar.n)
        elif n == self.total or n // self.step > self.n // self.step:
            self.stream.write(
                tqdm.format_meter(n, self.total,
                                  time.perf_counter() - self.start,
                                  prefix=self.desc, postfix=postfix,
                                  ncols=100, ascii=True) + '\n')
            self.stream.flush()
        self.n = n

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
