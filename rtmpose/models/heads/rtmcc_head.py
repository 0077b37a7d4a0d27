"""RTMCC head: SimCC coordinate classification refined by a GAU."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from rtmpose.codecs.arguments import positive_int, positive_number, size_pair
from rtmpose.registry import MODELS
from rtmpose.evaluation.functional import simcc_pck_accuracy
from ..layers import RTMCCBlock, ScaleNorm
from ..utils import flip_back_simcc
from .base_head import BaseHead

_GAU_DEFAULTS = dict(
    hidden_dims=256,
    s=128,
    expansion_factor=2,
    dropout_rate=0.,
    drop_path=0.,
    act_fn='ReLU',
    use_rel_bias=False,
    pos_enc=False)


def _gather_labels(batch_data_samples: list, key: str) -> Tensor:
    """Concatenate ``gt_instance_labels.<key>`` over the batch (dim 0)."""
    values = []
    for i, sample in enumerate(batch_data_samples):
        labels = sample.get('gt_instance_labels')
        if labels is None or key not in labels:
            raise KeyError(f'RTMCCHead.loss: data sample {i} has no '
                           f'gt_instance_labels.{key} (is GenerateTarget '
                           'with a SimCCLabel encoder in the pipeline?)')
        values.append(torch.as_tensor(labels.get(key)))
    return torch.cat(values)


@MODELS.register_module()
class RTMCCHead(BaseHead):
    """Top-down head of RTMPose.

    (N, C, h, w) last backbone map -> ``final_layer`` conv to K channels ->
    flatten to K tokens of h*w -> ScaleNorm + Linear to ``hidden_dims`` ->
    :class:`RTMCCBlock` -> ``cls_x`` / ``cls_y`` linear classifiers over
    ``W*k`` and ``H*k`` bins.

    Args:
        in_channels (int): Channels C of the input map.
        out_channels (int): Number of keypoints K.
        input_size (tuple[int, int], optional): (W, H) input image size in
            pixels; default the decoder's.
        in_featuremap_size (tuple[int, int]): (w, h) of the input map.
            Both are derived by a top-down estimator (``derived_args``):
            configs leave them out.
        simcc_split_ratio (float): Bins per pixel k.
        final_layer_kernel_size (int): Kernel of ``final_layer``.
        gau_cfg (dict): ``hidden_dims, s, expansion_factor, dropout_rate,
            drop_path, act_fn, use_rel_bias, pos_enc``; missing keys take
            the defaults in the signature.
        loss (dict): Loss config (MODELS).
        decoder (dict, optional): Codec config (KEYPOINT_CODECS) or codec
            used by :meth:`predict`.
    """

    output_names = ('keypoint_x_labels', 'keypoint_y_labels')
    derived_args = ('input_size', 'in_featuremap_size')

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 input_size: Optional[Tuple[int, int]] = None,
                 in_featuremap_size: Optional[Tuple[int, int]] = None,
                 simcc_split_ratio: float = 2.0,
                 final_layer_kernel_size: int = 1,
                 gau_cfg: Optional[dict] = None,
                 loss: dict = dict(
                     type='KLDiscretLoss', use_target_weight=True),
                 decoder: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='Normal', layer=['Conv2d'], std=0.001),
                dict(type='Constant', layer='BatchNorm2d', val=1),
                dict(type='Normal', layer=['Linear'], std=0.01, bias=0),
            ]
        super().__init__(init_cfg=init_cfg)
        if not isinstance(in_channels, int):
            raise TypeError(f'RTMCCHead: in_channels must be an int (one '
                            f'input map), got {in_channels!r}')
        unknown = set(gau_cfg or {}) - set(_GAU_DEFAULTS)
        if unknown:
            raise KeyError(f'RTMCCHead: unknown gau_cfg keys {sorted(unknown)}'
                           f'; expected a subset of {sorted(_GAU_DEFAULTS)}')
        gau = {**_GAU_DEFAULTS, **(gau_cfg or {})}

        self.in_channels = in_channels
        self.out_channels = positive_int('RTMCCHead', 'out_channels',
                                         out_channels)
        self.loss_module = MODELS.build(loss)
        self.decoder = self.build_decoder(decoder)
        if self.decoder is not None:
            if input_size is None:
                input_size = self.decoder.input_size
            elif tuple(input_size) != tuple(self.decoder.input_size):
                raise ValueError(
                    f'RTMCCHead: input_size={tuple(input_size)} but the '
                    f'decoder input_size={tuple(self.decoder.input_size)};'
                    ' leave input_size out (the decoder\'s is used)')
        self.input_size = size_pair('RTMCCHead', 'input_size', input_size)
        if in_featuremap_size is None:
            raise ValueError(
                'RTMCCHead: in_featuremap_size is needed; a top-down '
                'estimator derives it from the backbone (or neck) '
                'out_sizes (see BaseBackbone), else give it (w, h)')
        self.in_featuremap_size = size_pair('RTMCCHead', 'in_featuremap_size',
                                            in_featuremap_size)
        self.simcc_split_ratio = positive_number(
            'RTMCCHead', 'simcc_split_ratio', simcc_split_ratio)

        self.final_layer = nn.Conv2d(
            in_channels,
            out_channels,
            final_layer_kernel_size,
            padding=final_layer_kernel_size // 2)
        # backbones hand over NHWC maps; NHWC weights avoid a reorder per call
        self.final_layer.to(memory_format=torch.channels_last)
        flatten_dims = self.in_featuremap_size[0] * self.in_featuremap_size[1]
        hidden = gau['hidden_dims']
        self.mlp = nn.Sequential(
            ScaleNorm(flatten_dims), nn.Linear(flatten_dims, hidden,
                                               bias=False))
        self.gau = RTMCCBlock(
            out_channels,
            hidden,
            hidden,
            s=gau['s'],
            expansion_factor=gau['expansion_factor'],
            dropout_rate=gau['dropout_rate'],
            drop_path=gau['drop_path'],
            act_fn=gau['act_fn'],
            use_rel_bias=gau['use_rel_bias'],
            pos_enc=gau['pos_enc'])
        self.cls_x = nn.Linear(
            hidden, int(self.input_size[0] * simcc_split_ratio), bias=False)
        self.cls_y = nn.Linear(
            hidden, int(self.input_size[1] * simcc_split_ratio), bias=False)

    def forward(self, feats: Sequence[Tensor]) -> Tuple[Tensor, Tensor]:
        """Last map (N, C, h, w) of ``feats`` -> pred_x (N, K, W*k),
        pred_y (N, K, H*k) logits."""
        x = feats[-1]
        w, h = self.in_featuremap_size
        if x.shape[-2:] != (h, w):
            raise ValueError(f'RTMCCHead: input map is {tuple(x.shape[-2:])}'
                             f' (h, w) but in_featuremap_size={(w, h)} (w, h)')
        x = self.final_layer(x).flatten(2)
        x = self.gau(self.mlp(x))
        return self.cls_x(x), self.cls_y(x)

    def loss(self,
             feats: Sequence[Tensor],
             batch_data_samples: list,
             train_cfg: Optional[dict] = None) -> dict:
        """KL loss against ``gt_instance_labels`` and an argmax PCK
        (``simcc_pck_accuracy``).

        Returns:
            dict: ``loss_kpt`` (scalar) and ``acc_pose`` (scalar, logged).
        """
        pred_x, pred_y = self.forward(feats)
        gt_x, gt_y, weights = (
            _gather_labels(batch_data_samples, key).to(pred_x)
            for key in ('keypoint_x_labels', 'keypoint_y_labels',
                        'keypoint_weights'))
        loss = self.loss_module((pred_x, pred_y), (gt_x, gt_y), weights)
        _, acc, _ = simcc_pck_accuracy(
            (pred_x.detach().cpu().numpy(), pred_y.detach().cpu().numpy()),
            (gt_x.detach().cpu().numpy(), gt_y.detach().cpu().numpy()),
            self.simcc_split_ratio,
            weights.detach().cpu().numpy() > 0)
        return dict(loss_kpt=loss, acc_pose=torch.tensor(acc,
                                                         device=pred_x.device))

    def merge_flip(self, outputs: Tuple[Tensor, Tensor],
                   flipped: Tuple[Tensor, Tensor],
                   flip_indices: Sequence[int],
                   test_cfg: dict) -> Tuple[Tensor, Tensor]:
        """Average the SimCC vectors with the flipped input's, flipped back
        (``test_cfg['shift_flip']``, default False as the reference; see
        :func:`~rtmpose.models.utils.flip_back_simcc`)."""
        pred_x, pred_y = outputs
        flip_x, flip_y = flip_back_simcc(*flipped, flip_indices,
                                         self.simcc_split_ratio,
                                         test_cfg.get('shift_flip', False))
        return (pred_x + flip_x) * 0.5, (pred_y + flip_y) * 0.5
