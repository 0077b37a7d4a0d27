"""How many CPU threads torch uses, and a warning when they compete.

Training and testing on CPU run torch's intra-op thread pool. On a machine
whose cores are already busy (a shared VM, other trainings), more threads
than free cores make every operation wait for descheduled threads: on a
2-core machine shared by several jobs, 2 threads ran 10x slower per
iteration than 1. The thread count also changes the floating-point
summation order, so runs are bit-identical only with the same count.
"""
import logging
import os
from typing import Optional

import torch
from mmengine.logging import print_log


def physical_cores() -> int:
    """Physical cores available to this process (hyper-threads counted
    once); the logical CPU count where the topology is unknown."""
    try:
        allowed = os.sched_getaffinity(0)
    except AttributeError:  # macOS, Windows
        allowed = set(range(os.cpu_count() or 1))
    cores = set()
    for cpu in allowed:
        path = f'/sys/devices/system/cpu/cpu{cpu}/topology/'
        try:
            with open(path + 'core_id') as f:
                core = f.read().strip()
            with open(path + 'physical_package_id') as f:
                package = f.read().strip()
        except OSError:
            return max(len(allowed), 1)
        cores.add((package, core))
    return max(len(cores), 1)


def busy_warning(threads: int, cores: Optional[int] = None,
                 load: Optional[float] = None) -> Optional[str]:
    """The warning to give when ``threads`` > 1 and the 1-minute load
    average exceeds the physical cores, else None."""
    cores = physical_cores() if cores is None else cores
    if load is None:
        try:
            load = os.getloadavg()[0]
        except (AttributeError, OSError):
            return None
    if threads <= 1 or load <= cores:
        return None
    return (f'the machine is busy (load average {load:.1f} on {cores} '
            f'physical cores) and torch uses {threads} threads: they compete '
            'with the other jobs and every step waits for the slowest; '
            '--threads 1 is often several times faster here')


def set_threads(threads: Optional[int] = None) -> int:
    """Use ``threads`` torch threads, warn if the machine is oversubscribed,
    and return the count. Default: ``OMP_NUM_THREADS`` when set, else the
    physical cores."""
    if threads is None:
        env = os.environ.get('OMP_NUM_THREADS', '')
        threads = int(env) if env.isdigit() and int(env) > 0 \
            else physical_cores()
    if threads < 1:
        raise ValueError(f'--threads must be >= 1, got {threads}')
    torch.set_num_threads(threads)
    message = busy_warning(threads)
    if message:
        print_log(message, logger='current', level=logging.WARNING)
    return threads
