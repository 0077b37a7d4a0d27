"""Imports every module of ``rtmpose.codecs``: each codec class registers
itself in ``rtmpose.registry.KEYPOINT_CODECS``, whose import location this
module is. A new codec is one new module in the package (or, outside it,
any imported module that registers one)."""
import importlib
import pkgutil

import rtmpose.codecs

for _module in pkgutil.iter_modules(rtmpose.codecs.__path__):
    if _module.name != __name__.rsplit('.', 1)[-1]:
        importlib.import_module(f'rtmpose.codecs.{_module.name}')
