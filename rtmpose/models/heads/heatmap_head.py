"""Heatmap head: (de)convolutions from the last feature map to one heatmap
per keypoint (SimpleBaseline; the classic and simple decoders of ViTPose)."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from rtmpose.codecs.arguments import positive_int
from rtmpose.registry import MODELS
from rtmpose.evaluation.functional import heatmap_pck_accuracy
from ..utils import flip_back_heatmaps
from .base_head import BaseHead

# ConvTranspose2d (padding, output_padding) per kernel size that exactly
# doubles the map size at stride 2
_DECONV_PADDING = {4: (1, 0), 3: (1, 1), 2: (0, 0)}


@MODELS.register_module()
class HeatmapHead(BaseHead):
    """Last backbone map (N, C, h, w) -> heatmaps (N, K, H, W).

    Layers, in order (each optional):

    - ``upsample_factor > 0``: ReLU, then bilinear upsampling by that factor
      (the simple decoder of ViTPose: ``upsample_factor=4``, no deconvs,
      ``final_layer=dict(kernel_size=3)``);
    - ``deconv_layers``: per entry a stride-2 transposed conv (no bias),
      BN, ReLU (the classic decoder: two of 256 channels, kernel 4);
    - ``conv_layers``: per entry a stride-1 conv (no bias), BN, ReLU;
    - ``final_layer``: a conv to K channels (``None``: identity).

    Args:
        in_channels (int): Channels C of the input map.
        out_channels (int): Number of keypoints K.
        deconv_out_channels (Sequence[int], optional): Channels of the
            deconv layers; ``None`` or empty for none.
        deconv_kernel_sizes (Sequence[int], optional): Their kernels (2, 3
            or 4), one per layer.
        conv_out_channels (Sequence[int], optional): Channels of the conv
            layers.
        conv_kernel_sizes (Sequence[int], optional): Their (odd) kernels.
        final_layer (dict, optional): ``kernel_size`` (and optionally
            ``padding``, default ``kernel_size // 2``) of the final conv.
        upsample_factor (float): Bilinear upsampling after a ReLU before
            the deconvs; 0 for none.
        loss (dict): Loss config (MODELS).
        decoder (dict, optional): Codec config (KEYPOINT_CODECS) or codec
            used by :meth:`predict`.
    """

    output_names = ('heatmaps', )

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 deconv_out_channels: Optional[Sequence[int]] = (256, 256),
                 deconv_kernel_sizes: Optional[Sequence[int]] = (4, 4),
                 conv_out_channels: Optional[Sequence[int]] = None,
                 conv_kernel_sizes: Optional[Sequence[int]] = None,
                 final_layer: Optional[dict] = dict(kernel_size=1),
                 upsample_factor: float = 0.,
                 loss: dict = dict(
                     type='KeypointMSELoss', use_target_weight=True),
                 decoder: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='Normal', layer=['Conv2d', 'ConvTranspose2d'],
                     std=0.001, bias=0),
                dict(type='Constant', layer='BatchNorm2d', val=1, bias=0),
            ]
        super().__init__(init_cfg=init_cfg)
        if not isinstance(in_channels, int):
            raise TypeError(f'HeatmapHead: in_channels must be an int (one '
                            f'input map), got {in_channels!r}')
        self.in_channels = in_channels
        self.out_channels = positive_int('HeatmapHead', 'out_channels',
                                         out_channels)
        self.upsample_factor = upsample_factor
        self.loss_module = MODELS.build(loss)
        self.decoder = self.build_decoder(decoder)

        channels = in_channels
        self.deconv_layers, channels = self._make_layers(
            'deconv', channels, deconv_out_channels, deconv_kernel_sizes)
        self.conv_layers, channels = self._make_layers(
            'conv', channels, conv_out_channels, conv_kernel_sizes)
        if final_layer is None:
            self.final_layer = nn.Identity()
        else:
            unknown = set(final_layer) - {'kernel_size', 'padding'}
            if unknown:
                raise KeyError(f'HeatmapHead: unknown final_layer keys '
                               f'{sorted(unknown)}; supported: kernel_size, '
                               'padding')
            kernel = final_layer.get('kernel_size', 1)
            self.final_layer = nn.Conv2d(
                channels,
                out_channels,
                kernel,
                padding=final_layer.get('padding', kernel // 2))

    @staticmethod
    def _make_layers(kind: str, in_channels: int,
                     out_channels: Optional[Sequence[int]],
                     kernel_sizes: Optional[Sequence[int]]
                     ) -> Tuple[nn.Module, int]:
        """``kind`` in ('deconv', 'conv') -> (Sequential or Identity,
        output channels)."""
        out_channels = list(out_channels or [])
        kernel_sizes = list(kernel_sizes or [])
        if len(out_channels) != len(kernel_sizes):
            raise ValueError(f'HeatmapHead: {kind}_out_channels '
                             f'{out_channels} and {kind}_kernel_sizes '
                             f'{kernel_sizes} differ in length')
        if not out_channels:
            return nn.Identity(), in_channels
        layers = []
        for channels, kernel in zip(out_channels, kernel_sizes):
            if kind == 'deconv':
                if kernel not in _DECONV_PADDING:
                    raise ValueError(f'HeatmapHead: deconv kernel {kernel} '
                                     'not supported; use 2, 3 or 4')
                padding, output_padding = _DECONV_PADDING[kernel]
                layers.append(
                    nn.ConvTranspose2d(
                        in_channels,
                        channels,
                        kernel,
                        stride=2,
                        padding=padding,
                        output_padding=output_padding,
                        bias=False))
            else:
                if kernel % 2 != 1:
                    raise ValueError(f'HeatmapHead: conv kernel {kernel} '
                                     'must be odd')
                layers.append(
                    nn.Conv2d(
                        in_channels,
                        channels,
                        kernel,
                        padding=kernel // 2,
                        bias=False))
            layers += [nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]
            in_channels = channels
        return nn.Sequential(*layers), in_channels

    def forward(self, feats: Sequence[Tensor]) -> Tensor:
        """Last map (N, C, h, w) of ``feats`` -> heatmaps (N, K, H, W)."""
        x = feats[-1]
        if self.upsample_factor > 0:
            x = F.interpolate(
                F.relu(x),
                scale_factor=self.upsample_factor,
                mode='bilinear',
                align_corners=False)
        x = self.deconv_layers(x)
        x = self.conv_layers(x)
        return self.final_layer(x)

    def loss(self,
             feats: Sequence[Tensor],
             batch_data_samples: list,
             train_cfg: Optional[dict] = None) -> dict:
        """MSE against ``gt_fields.heatmaps`` weighted by
        ``gt_instance_labels.keypoint_weights``, and an argmax PCK
        (``heatmap_pck_accuracy``; skipped with
        ``train_cfg=dict(compute_acc=False)``).

        Returns:
            dict: ``loss_kpt`` (scalar) and ``acc_pose`` (scalar, logged).
        """
        pred = self.forward(feats)
        targets, weights = [], []
        for i, sample in enumerate(batch_data_samples):
            fields = sample.get('gt_fields')
            labels = sample.get('gt_instance_labels')
            if fields is None or 'heatmaps' not in fields or labels is None \
                    or 'keypoint_weights' not in labels:
                raise KeyError(
                    f'HeatmapHead.loss: data sample {i} lacks '
                    'gt_fields.heatmaps or gt_instance_labels.'
                    'keypoint_weights (is GenerateTarget with a heatmap '
                    'codec in the pipeline?)')
            targets.append(torch.as_tensor(fields.heatmaps))
            weights.append(torch.as_tensor(labels.keypoint_weights))
        target = torch.stack(targets).to(pred)
        weight = torch.cat(weights).to(pred)
        if target.shape != pred.shape:
            raise ValueError(f'HeatmapHead.loss: predicted heatmaps '
                             f'{tuple(pred.shape)} but targets '
                             f'{tuple(target.shape)}; check the codec '
                             'heatmap_size against the head output')
        loss = self.loss_module(pred, target, weight)
        losses = dict(loss_kpt=loss)
        if (train_cfg or {}).get('compute_acc', True):
            _, acc, _ = heatmap_pck_accuracy(
                pred.detach().cpu().numpy(),
                target.detach().cpu().numpy(),
                weight.detach().cpu().numpy() > 0)
            losses['acc_pose'] = torch.tensor(acc, device=pred.device)
        return losses

    def merge_flip(self, outputs: Tensor, flipped: Tensor,
                   flip_indices: Sequence[int], test_cfg: dict) -> Tensor:
        """Average the heatmaps with the flipped input's, flipped back;
        ``test_cfg['shift_heatmap']``: see
        :func:`~rtmpose.models.utils.flip_back_heatmaps` (off for UDP)."""
        flipped = flip_back_heatmaps(flipped, flip_indices,
                                     test_cfg.get('shift_heatmap', False))
        return (outputs + flipped) * 0.5
