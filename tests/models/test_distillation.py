"""Knowledge-token learning (Eq. 5) and student distillation (Eq. 4, 6)."""
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData

import rtmpose.models  # noqa: F401
from rtmpose.codecs import UDPHeatmap
from rtmpose.registry import MODELS
from rtmpose.structures import PoseDataSample

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / 'configs' / 'vitpose' / 'coco'
CODEC = dict(input_size=(48, 64), heatmap_size=(6, 8), sigma=1)


def pose_model(dims, tokens=0, model_type='TopdownPoseEstimator', **kwargs):
    return dict(
        type=model_type,
        backbone=dict(
            type='VisionTransformer',
            arch=dict(embed_dims=dims, num_layers=2, num_heads=2,
                      feedforward_channels=2 * dims),
            img_size=(64, 48), num_knowledge_tokens=tokens),
        head=dict(type='HeatmapHead', in_channels=dims, out_channels=17,
                  deconv_out_channels=(8, ), deconv_kernel_sizes=(4, ),
                  decoder=dict(type='UDPHeatmap', **CODEC)),
        **kwargs)


def build(cfg):
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def samples(n, seed=0):
    codec = UDPHeatmap(**CODEC)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        enc = codec.encode(rng.uniform(5, 40, (1, 17, 2)).astype(np.float32))
        sample = PoseDataSample(metainfo=dict(
            input_size=(48, 64), input_center=np.array([50., 60.]),
            input_scale=np.array([48., 64.]), input_udp=True))
        sample.gt_fields = PixelData(
            heatmaps=torch.from_numpy(enc['heatmaps']))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.from_numpy(enc['keypoint_weights']))
        out.append(sample)
    return out


@pytest.fixture(scope='module')
def teacher_ckpts(tmp_path_factory):
    """A trained-teacher checkpoint (no token) and a stage-1 one (with)."""
    root = tmp_path_factory.mktemp('teacher')
    teacher = build(pose_model(48))
    # give the head's BN statistics something to keep
    teacher.head.deconv_layers[1].running_mean.uniform_(-1, 1)
    torch.save(dict(state_dict=teacher.state_dict()), root / 'teacher.pth')
    stage1 = build(
        pose_model(48, tokens=1, model_type='KnowledgeTokenPoseEstimator',
                   teacher_ckpt=str(root / 'teacher.pth')))
    torch.save(dict(state_dict=stage1.state_dict()), root / 'stage1.pth')
    return dict(teacher=str(root / 'teacher.pth'),
                stage1=str(root / 'stage1.pth'), teacher_model=teacher)


def test_stage1_learns_only_the_token(teacher_ckpts):
    model = build(pose_model(48, tokens=1,
                             model_type='KnowledgeTokenPoseEstimator',
                             teacher_ckpt=teacher_ckpts['teacher']))
    teacher = teacher_ckpts['teacher_model'].state_dict()
    for key, value in model.state_dict().items():
        if key != 'backbone.knowledge_tokens':
            assert torch.equal(value, teacher[key]), key
    model.train()
    assert model.training
    assert not any(m.training for m in model.modules() if m is not model)
    bn = model.head.deconv_layers[1]
    stats = bn.running_mean.clone()
    optim = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = model(torch.randn(3, 3, 64, 48), samples(3), mode='loss')
    losses['loss_kpt'].backward()
    optim.step()
    trained = [n for n, p in model.named_parameters() if p.grad is not None]
    assert trained == ['backbone.knowledge_tokens']
    assert model.backbone.knowledge_tokens.grad.abs().sum() > 0
    assert torch.equal(bn.running_mean, stats)
    with pytest.raises(ValueError, match='num_knowledge_tokens'):
        build(pose_model(48, model_type='KnowledgeTokenPoseEstimator'))


def distiller(ckpt, output_weight=0.5, use_token=True):
    return build(dict(
        type='DistillationPoseEstimator',
        student=pose_model(32),
        teacher=pose_model(48, tokens=1 if use_token else 0),
        teacher_ckpt=ckpt,
        distill_cfg=dict(output_weight=output_weight,
                         use_knowledge_token=use_token)))


def test_output_distillation_loss_and_frozen_teacher(teacher_ckpts):
    model = distiller(teacher_ckpts['stage1'], output_weight=0.5).train()
    assert not model.teacher.training and model.student.training
    x, batch = torch.randn(3, 3, 64, 48), samples(3)
    losses = model(x, batch, mode='loss')
    assert set(losses) == {'loss_kpt', 'acc_pose', 'loss_distill'}
    # hand-computed Eq. 4: mean squared heatmap difference, weighted
    with torch.no_grad():
        student = model.student.head(model.student.extract_feat(x))
        teacher = model.teacher.head(model.teacher.extract_feat(x))
        expected = 0.5 * ((student - teacher)**2).sum() / student.numel()
        gt = model.student.head.loss(model.student.extract_feat(x), batch)
    assert student.shape == (3, 17, 8, 6)
    torch.testing.assert_close(losses['loss_distill'], expected)
    torch.testing.assert_close(losses['loss_kpt'], gt['loss_kpt'])
    assert losses['loss_distill'] > 0

    (losses['loss_kpt'] + losses['loss_distill']).backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert not any(p.requires_grad for p in model.teacher.parameters())
    assert model.student.backbone.knowledge_tokens.grad is None
    assert model.student.backbone.knowledge_proj.weight.grad.abs().sum() > 0
    assert model.student.backbone.pos_embed.grad.abs().sum() > 0


def test_knowledge_token_reaches_the_student(teacher_ckpts):
    model = distiller(teacher_ckpts['stage1']).eval()
    stage1 = torch.load(teacher_ckpts['stage1'])['state_dict']
    token = stage1['backbone.knowledge_tokens']
    assert token.shape == (1, 1, 48)
    torch.testing.assert_close(model.student.backbone.knowledge_tokens,
                               token)
    torch.testing.assert_close(model.teacher.backbone.knowledge_tokens,
                               token)
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        with_token = model(x, mode='tensor')
        torch.testing.assert_close(
            with_token, model.student.head(model.student.extract_feat(x)))
        model.student.backbone.knowledge_tokens.zero_()
        without = model(x, mode='tensor')
    assert with_token.shape == (2, 17, 8, 6)
    assert (with_token - without).abs().max() > 1e-3 * with_token.abs().max()
    out = model(x, samples(2), mode='predict')
    assert out[0].pred_instances.keypoints.shape == (1, 17, 2)


def test_teacher_without_token_is_an_error(teacher_ckpts):
    with pytest.raises(KeyError, match='no backbone.knowledge_tokens'):
        distiller(teacher_ckpts['teacher'])
    output_only = distiller(teacher_ckpts['teacher'], use_token=False)
    assert not hasattr(output_only.student.backbone, 'knowledge_tokens')
    teacher = teacher_ckpts['teacher_model'].state_dict()
    for key, value in output_only.teacher.state_dict().items():
        assert torch.equal(value, teacher[key]), key
    with pytest.raises(ValueError, match='nothing to distil'):
        distiller(None, output_weight=0., use_token=False)


@pytest.mark.parametrize('name, model_type', [
    ('vitpose-large-knowledge-token_8xb64-10e_coco-256x192.py',
     'KnowledgeTokenPoseEstimator'),
    ('vitpose-base-distill-large_8xb64-210e_coco-256x192.py',
     'DistillationPoseEstimator'),
    ('vitpose-base-distill-large-output_8xb64-210e_coco-256x192.py',
     'DistillationPoseEstimator'),
])
def test_distillation_configs_build(name, model_type):
    init_default_scope('rtmpose')
    cfg = Config.fromfile(CONFIGS / name)
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
        heatmaps = model(torch.empty(1, 3, 256, 192), mode='tensor')
    assert type(model).__name__ == model_type
    assert heatmaps.shape == (1, 17, 64, 48)
    if model_type == 'DistillationPoseEstimator':
        assert model.student.backbone.embed_dims == 768
        assert model.teacher.backbone.embed_dims == 1024
        uses_token = cfg.model.distill_cfg.use_knowledge_token
        assert hasattr(model.student.backbone,
                       'knowledge_tokens') == uses_token
        if uses_token:
            assert model.student.backbone.knowledge_tokens.shape == (1, 1,
                                                                     1024)
        assert cfg.optim_wrapper.paramwise_cfg.backbone_prefix == \
            'student.backbone.'
    else:
        assert model.backbone.knowledge_tokens.shape == (1, 1, 1024)
        assert [n for n, p in model.named_parameters()
                if p.requires_grad] == ['backbone.knowledge_tokens']
