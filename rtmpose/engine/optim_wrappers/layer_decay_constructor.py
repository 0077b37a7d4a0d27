"""Layer-wise learning-rate decay for plain ViT backbones (BEiT / MAE
fine-tuning, used by ViTPose)."""
import logging
import re
from typing import List, Optional

from mmengine.dist import get_rank
from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor
from torch import nn

from rtmpose.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Scale each parameter's learning rate by its depth in the backbone.

    Layer ids: 0 for the patch / position embedding (and class / mask
    tokens), ``i + 1`` for transformer layer ``i``, ``num_layers + 1`` for
    everything else (final norm, neck, head). A parameter of layer id ``i``
    gets ``lr = base_lr * lr_mult * layer_decay_rate ** (num_layers + 1 -
    i)``, so the head trains at the base rate and the embedding slowest.

    ``paramwise_cfg`` takes ``num_layers`` and ``layer_decay_rate`` plus
    every option of mmengine's ``DefaultOptimWrapperConstructor``, which
    decide ``lr_mult`` and the weight decay first: e.g.
    ``norm_decay_mult=0.`` and ``bias_decay_mult=0.`` exempt norms and
    biases, ``custom_keys={'pos_embed': dict(decay_mult=0.)}`` the position
    embedding. Parameters with equal layer id, lr and weight decay share one
    group; each group records ``layer_id``, ``lr_scale`` and
    ``param_names``.

    Args (in ``paramwise_cfg``):
        num_layers (int): Transformer layers L of the backbone.
        layer_decay_rate (float): Per-layer factor, e.g. 0.75.
        backbone_prefix (str): Parameter-name prefix of the backbone;
            default ``'backbone.'``.
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        paramwise_cfg = dict(paramwise_cfg or {})
        missing = {'num_layers', 'layer_decay_rate'} - set(paramwise_cfg)
        if missing:
            raise KeyError('LayerDecayOptimWrapperConstructor: paramwise_cfg '
                           f'needs {sorted(missing)}')
        self.num_layers = int(paramwise_cfg['num_layers'])
        self.layer_decay_rate = float(paramwise_cfg['layer_decay_rate'])
        prefix = re.escape(paramwise_cfg.get('backbone_prefix', 'backbone.'))
        self._embed_re = re.compile(
            rf'^{prefix}(patch_embed\.|pos_embed$|cls_token$|mask_token$)')
        self._layer_re = re.compile(rf'^{prefix}layers\.(\d+)\.')
        # The parent ignores these three keys; keeping them makes the
        # paramwise_cfg non-empty, so that mmengine calls add_params.
        super().__init__(optim_wrapper_cfg, paramwise_cfg)

    def get_layer_id(self, name: str) -> int:
        """Layer id of the parameter called ``name`` (see class doc)."""
        if self._embed_re.match(name):
            return 0
        match = self._layer_re.match(name)
        if match:
            layer = int(match.group(1))
            if layer >= self.num_layers:
                raise ValueError(
                    f'LayerDecayOptimWrapperConstructor: parameter {name} '
                    f'is in layer {layer} but num_layers={self.num_layers}')
            return layer + 1
        return self.num_layers + 1

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   **kwargs) -> None:
        if prefix:  # the parent's recursion over submodules
            super().add_params(params, module, prefix, **kwargs)
            return
        # one group per parameter with the parent's lr / weight decay rules
        single = []
        super().add_params(single, module, prefix, **kwargs)
        names = {id(p): n for n, p in module.named_parameters()}
        groups = {}
        for group in single:
            param = group['params'][0]
            name = names[id(param)]
            layer_id = self.get_layer_id(name)
            scale = self.layer_decay_rate**(self.num_layers + 1 - layer_id)
            lr = group.get('lr', self.base_lr) * scale
            weight_decay = group.get('weight_decay', self.base_wd)
            key = (layer_id, lr, weight_decay)
            if key not in groups:
                groups[key] = dict(
                    params=[],
                    param_names=[],
                    layer_id=layer_id,
                    lr_scale=scale,
                    lr=lr)
                if weight_decay is not None:
                    groups[key]['weight_decay'] = weight_decay
            groups[key]['params'].append(param)
            groups[key]['param_names'].append(name)
        params.extend(groups.values())
        if get_rank() == 0:
            lines = [
                f'  layer {g["layer_id"]:>3}: lr {g["lr"]:.3e} (x'
                f'{g["lr_scale"]:.4f}), weight_decay '
                f'{g.get("weight_decay")}, {len(g["params"])} params'
                for g in groups.values()
            ]
            print_log(
                'layer-wise lr decay groups:\n' + '\n'.join(lines),
                logger='current',
                level=logging.INFO)
