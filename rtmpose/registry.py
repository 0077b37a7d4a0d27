"""Registries of rtmpose, children of mmengine's root registries.

Configs use plain type names (``type='RTMCCHead'``) with ``default_scope='rtmpose'``;
names not found here fall back to mmengine's registries (e.g. ``AdamW``, ``EMAHook``).
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

RUNNERS = Registry(
    'runner', parent=MMENGINE_RUNNERS, locations=['rtmpose.engine'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS)
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, locations=['rtmpose.engine'])
LOG_PROCESSORS = Registry('log processor', parent=MMENGINE_LOG_PROCESSORS)

DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, locations=['rtmpose.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMENGINE_DATA_SAMPLERS,
    locations=['rtmpose.datasets'])
TRANSFORMS = Registry(
    'transform',
    parent=MMENGINE_TRANSFORMS,
    locations=['rtmpose.datasets.transforms'])

# rtmpose.runtime.evaluation: exported models in the test loop
MODELS = Registry(
    'model',
    parent=MMENGINE_MODELS,
    locations=['rtmpose.models', 'rtmpose.runtime.evaluation'])
# Detection building blocks without parameters: prior generators, box coders,
# assigners (configs name them as mmdet's do, e.g. 'MlvlPointGenerator').
TASK_UTILS = Registry(
    'task util',
    parent=MMENGINE_TASK_UTILS,
    locations=['rtmpose.models.task_modules'])
MODEL_WRAPPERS = Registry('model wrapper', parent=MMENGINE_MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMENGINE_WEIGHT_INITIALIZERS,
    locations=['rtmpose.engine'])

OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS)
OPTIM_WRAPPERS = Registry('optim wrapper', parent=MMENGINE_OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['rtmpose.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS)

METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, locations=['rtmpose.evaluation'])
EVALUATORS = Registry('evaluator', parent=MMENGINE_EVALUATOR)

VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS)
VISBACKENDS = Registry('vis backend', parent=MMENGINE_VISBACKENDS)
INFERENCERS = Registry('inferencer', parent=MMENGINE_INFERENCERS)

# Keypoint codecs: encode annotations to training targets, decode head outputs.
# rtmpose.codecs loads its classes lazily (through this registry) to stay
# importable without torch and mmengine; the location imports every module
# of the package.
KEYPOINT_CODECS = Registry(
    'keypoint codec', locations=['rtmpose.codecs.all_codecs'])
