"""The runtime runs where only onnxruntime, numpy and OpenCV are: every
module of ``rtmpose.runtime`` but ``evaluation`` imports with torch,
mmengine and mmcv made unimportable; the models never import the exporters
or the runtime."""
import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCKED = ('torch', 'torchvision', 'mmengine', 'mmcv')

# a meta path finder that refuses the blocked packages, then the imports
BLOCKER = f'''
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {BLOCKED!r}:
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import rtmpose.runtime as runtime
names = [m.name for m in pkgutil.iter_modules(runtime.__path__)]
for name in names:
    if name != 'evaluation':
        importlib.import_module('rtmpose.runtime.' + name)
import rtmpose.deploy, rtmpose.deploy.quantize
print(sorted(names))
'''


def test_runtime_imports_with_torch_blocked():
    proc = subprocess.run([sys.executable, '-c', BLOCKER],
                          cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True,
                          text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = eval(proc.stdout.strip().splitlines()[-1])
    assert {'pose_estimator', 'detector', 'pipeline',
            'evaluation'} <= set(names)


def test_models_import_neither_deploy_nor_runtime():
    offenders = []
    for path in (ROOT / 'rtmpose' / 'models').rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or '']
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            offenders += [f'{path}:{node.lineno}' for n in names
                          if n.startswith(('rtmpose.deploy',
                                           'rtmpose.runtime'))]
    assert not offenders
