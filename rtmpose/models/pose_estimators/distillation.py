"""Knowledge transfer from a large ViTPose to a small one (ViTPose Sec. 3.4):
output distillation (Eq. 4) and knowledge-token distillation (Eq. 5-6)."""
import copy
from typing import Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from torch import Tensor

from rtmpose.checkpoint import load_weights, read_weights
from rtmpose.registry import MODELS
from .topdown import TopdownPoseEstimator


@MODELS.register_module()
class KnowledgeTokenPoseEstimator(TopdownPoseEstimator):
    """Stage 1 of knowledge-token distillation (Eq. 5): a trained teacher,
    frozen, learns only the knowledge tokens that its backbone appends to
    the patch tokens, on the usual heatmap loss.

    A :class:`TopdownPoseEstimator` whose backbone has
    ``num_knowledge_tokens > 0``. ``init_weights`` loads ``teacher_ckpt``
    (the trained teacher; the tokens it lacks keep their random
    initialisation). Every parameter except ``backbone.knowledge_tokens`` is
    frozen, and all parts stay in eval mode in training (the teacher's BN
    statistics are kept; no dropout or drop path). Its checkpoints are the
    teacher plus the tokens: the ``teacher_ckpt`` of
    :class:`DistillationPoseEstimator`.

    Args:
        teacher_ckpt (str, optional): trained teacher weights (path / URL).
        Other args: as :class:`TopdownPoseEstimator`.
    """

    def __init__(self, *args, teacher_ckpt: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not getattr(self.backbone, 'num_knowledge_tokens', 0):
            raise ValueError('KnowledgeTokenPoseEstimator: the backbone needs '
                             'num_knowledge_tokens > 0 (tokens to learn)')
        self.teacher_ckpt = teacher_ckpt
        for name, param in self.named_parameters():
            param.requires_grad_(name == 'backbone.knowledge_tokens')

    def train(self, mode: bool = True) -> 'KnowledgeTokenPoseEstimator':
        super().train(mode)
        for module in self.children():
            module.train(False)
        return self

    def init_weights(self) -> None:
        super().init_weights()
        if self.teacher_ckpt:
            load_weights(self, self.teacher_ckpt)


@MODELS.register_module()
class DistillationPoseEstimator(BaseModel):
    """A student trained with a frozen teacher.

    Loss (Eq. 6): the student's own losses on the ground truth, plus with
    ``output_weight > 0`` ``loss_distill = output_weight * MSE(student
    heatmaps, teacher heatmaps)`` (Eq. 4; mean over N x K x H x W, the
    teacher running on the same normalised crops without gradient). With
    ``use_knowledge_token`` the teacher's learnt knowledge tokens (stage 1,
    :class:`KnowledgeTokenPoseEstimator`) are copied into the student's
    backbone, frozen, and appended to its patch tokens; a teacher wider
    than the student maps them through the student's learnt
    ``knowledge_proj`` (the paper leaves this case open). The student's
    backbone gets ``num_knowledge_tokens`` / ``knowledge_token_dims`` from
    the teacher unless its config sets them (non-zero).

    ``'predict'`` and ``'tensor'`` run the student only. The student's
    weights are the ``student.*`` keys of the checkpoints (e.g.
    ``Pretrained`` with ``prefix='student.'``).

    Args:
        student (dict): a TopdownPoseEstimator config.
        teacher (dict): a TopdownPoseEstimator config of the teacher (with
            ``num_knowledge_tokens`` in its backbone for the token).
        teacher_ckpt (str, optional): teacher weights, loaded strictly by
            ``init_weights`` (the teacher is then not initialised
            otherwise); with ``use_knowledge_token`` they must hold
            ``backbone.knowledge_tokens``.
        distill_cfg (dict): ``output_weight`` (float, default 1.0; 0 turns
            output distillation off), ``use_knowledge_token`` (bool,
            default False).
        data_preprocessor (dict, optional): shared by student and teacher.
    """

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 teacher_ckpt: Optional[str] = None,
                 distill_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 metainfo: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        cfg = dict(output_weight=1.0, use_knowledge_token=False)
        unknown = set(distill_cfg or {}) - set(cfg)
        if unknown:
            raise KeyError(f'DistillationPoseEstimator: unknown distill_cfg '
                           f'keys {sorted(unknown)}; supported: {sorted(cfg)}')
        cfg.update(distill_cfg or {})
        self.output_weight = float(cfg['output_weight'])
        self.use_knowledge_token = bool(cfg['use_knowledge_token'])
        self.metainfo = metainfo
        self.teacher_ckpt = teacher_ckpt

        self.teacher = MODELS.build(teacher)
        self.teacher.requires_grad_(False)
        student = copy.deepcopy(student)
        if self.use_knowledge_token:
            tokens = getattr(self.teacher.backbone, 'knowledge_tokens', None)
            if tokens is None:
                raise ValueError(
                    'DistillationPoseEstimator: use_knowledge_token needs '
                    'num_knowledge_tokens > 0 in the teacher backbone config '
                    '(the tokens learnt by KnowledgeTokenPoseEstimator)')
            backbone = student['backbone']
            if not backbone.get('num_knowledge_tokens'):
                backbone['num_knowledge_tokens'] = tokens.shape[1]
            if backbone.get('knowledge_token_dims') is None:
                backbone['knowledge_token_dims'] = tokens.shape[2]
        self.student = MODELS.build(student)
        if self.use_knowledge_token:
            own = getattr(self.student.backbone, 'knowledge_tokens', None)
            if own is None or own.shape != tokens.shape:
                raise ValueError(
                    f'DistillationPoseEstimator: the student backbone needs '
                    f'knowledge tokens of the teacher\'s shape '
                    f'{tuple(tokens.shape)} (num_knowledge_tokens, '
                    f'knowledge_token_dims), got '
                    f'{None if own is None else tuple(own.shape)}')
            own.requires_grad_(False)
        elif self.output_weight <= 0:
            raise ValueError('DistillationPoseEstimator: nothing to distil '
                             '(output_weight <= 0 and no knowledge token)')

    def train(self, mode: bool = True) -> 'DistillationPoseEstimator':
        super().train(mode)
        self.teacher.train(False)
        return self

    def init_weights(self) -> None:
        if self.teacher_ckpt:
            # the checkpoint replaces whatever the teacher's init would do
            self.teacher._is_init = True
        super().init_weights()
        if self.teacher_ckpt:
            # the file's own keys: the backbone's adapter would fill in
            # missing tokens with the teacher's random ones
            state_dict = read_weights(self.teacher_ckpt)
            load_weights(self.teacher, state_dict, name=self.teacher_ckpt)
            if self.use_knowledge_token and \
                    'backbone.knowledge_tokens' not in state_dict:
                raise KeyError(
                    f'DistillationPoseEstimator: teacher_ckpt '
                    f'{self.teacher_ckpt} has no backbone.knowledge_tokens; '
                    'learn them first with KnowledgeTokenPoseEstimator')
        if self.use_knowledge_token:
            self.copy_knowledge_tokens()

    @torch.no_grad()
    def copy_knowledge_tokens(self) -> None:
        """Teacher's knowledge tokens -> the student's (frozen) ones."""
        self.student.backbone.knowledge_tokens.copy_(
            self.teacher.backbone.knowledge_tokens)

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor') -> Union[dict, list, Tensor]:
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode in ('predict', 'tensor'):
            return self.student(inputs, data_samples, mode=mode)
        raise ValueError(f'DistillationPoseEstimator: invalid mode {mode!r}; '
                         "expected 'loss', 'predict' or 'tensor'")

    def loss(self, inputs: Tensor, data_samples: list) -> dict:
        """Student losses on the ground truth plus ``loss_distill``."""
        feats = self.student.extract_feat(inputs)
        losses = self.student.head.loss(
            feats, data_samples, train_cfg=self.student.train_cfg)
        if self.output_weight > 0:
            with torch.no_grad():
                target = self.teacher(inputs, mode='tensor')
            pred = self.student.head.forward(feats)
            if pred.shape != target.shape:
                raise ValueError(
                    f'DistillationPoseEstimator: student heatmaps '
                    f'{tuple(pred.shape)} and teacher heatmaps '
                    f'{tuple(target.shape)} differ; give both the same '
                    'input size and heatmap layout')
            losses['loss_distill'] = self.output_weight * F.mse_loss(
                pred, target)
        return losses
