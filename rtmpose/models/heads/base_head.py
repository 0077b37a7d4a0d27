"""The predict skeleton shared by keypoint heads: flip-test merge, numpy
decoding by the head's codec, packing per sample."""
from abc import abstractmethod
from typing import List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.model import BaseModule
from mmengine.structures import InstanceData
from torch import Tensor

from rtmpose.registry import KEYPOINT_CODECS

Outputs = Union[Tensor, Tuple[Tensor, ...]]


class BaseHead(BaseModule):
    """A head maps backbone (or neck) maps to the outputs its codec
    (``self.decoder``, a ``BaseKeypointCodec`` or None) decodes.

    Subclasses implement ``forward(feats) -> outputs``, ``loss`` and
    ``merge_flip`` (undo the flip of the flipped input's outputs with the
    helpers in ``rtmpose.models.utils`` and average), and name their
    outputs in ``output_names`` (in ``forward``'s order; the fields
    ``output_heatmaps`` returns).
    """

    output_names: Tuple[str, ...] = ()
    decoder = None
    # constructor arguments a top-down estimator derives when the config
    # leaves them out: 'input_size' (w, h) crop pixels (the codec's),
    # 'in_featuremap_size' (w, h) of the last map (the backbone's or neck's
    # declared ``out_sizes``)
    derived_args: Tuple[str, ...] = ()

    @staticmethod
    def build_decoder(decoder):
        """A codec config (KEYPOINT_CODECS), a built codec or None -> the
        codec (or None)."""
        if decoder is None or not isinstance(decoder, Mapping):
            return decoder
        return KEYPOINT_CODECS.build(decoder)

    @abstractmethod
    def merge_flip(self, outputs: Outputs, flipped: Outputs,
                   flip_indices: Sequence[int], test_cfg: dict) -> Outputs:
        """Outputs of the input and of its horizontal flip -> merged
        outputs in the input's frame."""

    def predict(self,
                feats,
                batch_data_samples: list,
                test_cfg: Optional[dict] = None) -> List[InstanceData]:
        """Decode keypoints in input space.

        Args:
            feats: tuple of maps, or ``[feats, feats_of_flipped_input]``
                when ``test_cfg['flip_test']``.
            batch_data_samples (list): data samples; flip test reads
                ``metainfo['flip_indices']`` of the first one.
            test_cfg (dict): ``flip_test`` (bool), ``output_heatmaps``
                (bool: also return the (merged) outputs, one sample each,
                under ``output_names``), and the head's ``merge_flip``
                options.

        Returns:
            list[InstanceData]: per sample ``keypoints`` (1, K, 2) input
            pixels and ``keypoint_scores`` (1, K), numpy.
        """
        test_cfg = test_cfg or {}
        name = type(self).__name__
        if self.decoder is None:
            raise RuntimeError(f'{name}.predict needs a decoder; set '
                               '`decoder=<codec cfg>` in the head config')
        if test_cfg.get('flip_test', False):
            feats, feats_flip = feats
            metainfo = batch_data_samples[0].metainfo
            if 'flip_indices' not in metainfo:
                raise KeyError(f'{name}: flip_test needs '
                               "metainfo['flip_indices'] in the data samples")
            outputs = self.merge_flip(self.forward(feats),
                                      self.forward(feats_flip),
                                      metainfo['flip_indices'], test_cfg)
        else:
            outputs = self.forward(feats)
        if isinstance(outputs, Tensor):
            outputs = (outputs, )
        arrays = [o.detach().float().cpu().numpy() for o in outputs]
        keypoints, scores = self.decoder.decode(*arrays)
        return [
            self._pack(keypoints, scores, arrays, i,
                       test_cfg.get('output_heatmaps', False))
            for i in range(len(keypoints))
        ]

    def _pack(self, keypoints: np.ndarray, scores: np.ndarray,
              arrays: List[np.ndarray], i: int,
              with_outputs: bool) -> InstanceData:
        """Sample ``i`` of the decoded batch as an InstanceData."""
        inst = InstanceData(
            keypoints=keypoints[i:i + 1], keypoint_scores=scores[i:i + 1])
        if with_outputs:
            for key, array in zip(self.output_names, arrays):
                inst.set_field(array[i:i + 1], key)
        return inst
