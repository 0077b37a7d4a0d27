import os
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


class BuildWithConfigs(build_py):
    """Copy the checkout's ``configs/`` tree into the built package as
    ``rtmpose/configs/`` (beside the dataset descriptions already there), so
    that a wheel resolves ``configs/...`` names as a checkout does
    (``rtmpose.config_loading.find_config``). An editable install reads the
    checkout's own ``configs/`` and copies nothing."""

    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False):
            return
        target = os.path.join(self.build_lib, 'rtmpose', 'configs')
        for folder, dirs, files in os.walk('configs'):
            dirs[:] = [d for d in dirs if d != '__pycache__']
            out = os.path.join(target, os.path.relpath(folder, 'configs'))
            os.makedirs(out, exist_ok=True)
            for name in files:
                if not name.endswith(('.pyc', '.pyo')):
                    shutil.copy2(os.path.join(folder, name), out)


def read_requirements(path='requirements.txt'):
    with open(path) as f:
        return [
            line.split('#')[0].strip() for line in f
            if line.split('#')[0].strip()
        ]


def read_version():
    scope = {}
    with open('rtmpose/version.py') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='rtmpose',
    version=read_version(),
    description='Config-driven training toolbox for real-time top-down 2D '
    'pose estimation (RTMPose, ViTPose) on MMEngine',
    long_description=open('README.md').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['rtmpose', 'rtmpose.*']),
    # dataset metainfo files, resolved against the package
    # (config_loading.find_config); the other configs: BuildWithConfigs
    package_data={'rtmpose': ['configs/_base_/datasets/*.py']},
    cmdclass={'build_py': BuildWithConfigs},
    python_requires='>=3.8',
    install_requires=read_requirements(),
    extras_require={
        # onnx / onnxruntime: wheels install in seconds and let the tests
        # check exported models (those tests skip without them)
        # scipy: the MPII fixtures write a real .mat headbox file
        'tests': ['pytest>=7', 'onnx>=1.14', 'onnxruntime>=1.16', 'scipy'],
        # export (onnx) and run (onnxruntime) ONNX models: rtmpose.deploy
        'deploy': ['onnx>=1.14', 'onnxruntime>=1.16'],
        # the official MPII mpii_gt_val.mat headbox file
        'mpii': ['scipy'],
        # torchvision must match the torch build; its CUDA wheels break on a
        # CPU-only torch, so it is never required.
        'detectors': ['torchvision'],
        # tools/analysis/compare_reference.py: real sample photographs
        'parity': ['scikit-image'],
        # tools/analysis/reference_runner.py: the reference implementation,
        # installed into its own venv by ../shared/tools/setup_reference.sh
        # (not into this one: it pins other mmcv / mmdet builds)
        'reference': ['mmpose==1.3.2'],
        # `--tensorboard`: scalars for `tensorboard --logdir WORK_DIR`
        'tensorboard': ['tensorboard'],
    },
    entry_points={'console_scripts': ['rtmpose = rtmpose.cli:console_main']},
    zip_safe=False,
)
