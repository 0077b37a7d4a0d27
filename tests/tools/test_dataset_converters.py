"""tools/dataset_converters: OKS sigma estimation, YOLO-pose and CSV to
COCO."""
import importlib.util
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from rtmpose.datasets import CustomCocoDataset

TOOLS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'dataset_converters')


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        name, osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _image(path, width=100, height=50):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), np.zeros((height, width, 3), np.uint8))


# ---------------------------------------------------------- sigmas --
SIGMAS = np.array([0.025, 0.05, 0.1])
AREA = 100. * 200.


def _repeated(num_instances=150, annotators=3, seed=0, groups=True):
    """Each instance annotated by several annotators with noise whose
    expected squared 2-D distance to the truth is sigma^2 * area."""
    rng = np.random.default_rng(seed)
    anns = []
    for i in range(num_instances):
        truth = rng.uniform(0, 100, (3, 2))
        for a in range(annotators):
            noise = rng.normal(0, SIGMAS[:, None] * np.sqrt(AREA / 2),
                               (3, 2))
            ann = dict(id=len(anns) + 1, image_id=i + 1, category_id=1,
                       bbox=[10. + rng.uniform(-.5, .5), 20., 100., 200.],
                       area=AREA, annotator_id=a,
                       keypoints=np.concatenate(
                           [truth + noise, np.full((3, 1), 2.)],
                           1).reshape(-1).tolist())
            if groups:
                ann['repeat_group'] = i
            anns.append(ann)
    return dict(images=[dict(id=i + 1) for i in range(num_instances)],
                annotations=anns,
                categories=[dict(id=1, name='toy',
                                 keypoints=['nose', 'left_knee', 'tail'])])


@pytest.mark.parametrize('groups', [True, False])
def test_sigmas_from_repeated_annotations(tmp_path, groups):
    tool = _tool('estimate_sigmas')
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(_repeated(groups=groups)))
    result = tool.run(str(path))
    assert result['groups'] == 150
    # 150 instances x 2 degrees of freedom x 2 axes: ~4% relative error
    np.testing.assert_allclose(result['sigmas'], SIGMAS, rtol=0.12)
    assert all(s.startswith('estimated') for s in result['sources'])


def test_same_annotator_boxes_are_not_repeats(tmp_path):
    tool = _tool('estimate_sigmas')
    data = _repeated(groups=False)
    for ann in data['annotations']:
        ann['annotator_id'] = 0
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(data))
    assert tool.run(str(path))['groups'] == 0


def test_no_repeats_proposes_defaults(tmp_path, capsys):
    tool = _tool('estimate_sigmas')
    data = _repeated(num_instances=5, annotators=1)
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(data))
    out = tmp_path / 'sigmas.json'
    tool.main([str(path), '--out', str(out)])
    printed = capsys.readouterr().out
    assert 'No repeated annotations found' in printed
    assert 'sigmas=[0.026, 0.087, 0.05]' in printed
    result = json.loads(out.read_text())
    assert result['sources'] == [
        "default: COCO 'nose' sigma", "default: COCO 'knee' sigma",
        'default: no repeats, no known body part'
    ]


# ------------------------------------------------------------ YOLO --
def test_yolo_pose_to_coco(tmp_path):
    tool = _tool('yolo_pose_to_coco')
    _image(tmp_path / 'images' / 'a.jpg')  # 100 x 50
    _image(tmp_path / 'images' / 'b.png')  # no label file: background
    (tmp_path / 'labels').mkdir()
    (tmp_path / 'labels' / 'a.txt').write_text(
        '0 0.5 0.5 0.4 0.8 0.1 0.2 2 0.3 0.4 1 0 0 0\n'
        '0 0.2 0.3 0.2 0.2 0.15 0.25 2 0.2 0.3 2 0.25 0.35 2\n')
    out = tmp_path / 'coco.json'
    tool.main([str(tmp_path / 'images'), str(tmp_path / 'labels'), str(out),
               '--kpt-shape', '3', '3', '--names',
               'nose,left_eye,right_eye', '--classes', 'person',
               '--skeleton', '0-1,0-2'])
    data = json.loads(out.read_text())
    assert [(i['file_name'], i['width'], i['height'])
            for i in data['images']] == [('a.jpg', 100, 50),
                                         ('b.png', 100, 50)]
    first = data['annotations'][0]
    np.testing.assert_allclose(first['bbox'], [30, 5, 40, 40])
    np.testing.assert_allclose(first['keypoints'],
                               [10, 10, 2, 30, 20, 1, 0, 0, 0])
    assert first['num_keypoints'] == 2 and first['area'] == \
        pytest.approx(1600)
    (cat, ) = data['categories']
    assert cat['name'] == 'person' and cat['skeleton'] == [[1, 2], [1, 3]]
    # the result is a usable custom dataset straight away
    dataset = CustomCocoDataset(
        ann_file=str(out), data_prefix=dict(img=str(tmp_path / 'images')),
        metainfo=dict(from_coco_categories=True, sigmas=[0.03] * 3))
    assert len(dataset) == 2
    assert dataset.metainfo['flip_indices'] == [0, 2, 1]


def test_yolo_pose_without_visibility_and_errors(tmp_path):
    tool = _tool('yolo_pose_to_coco')
    _image(tmp_path / 'images' / 'a.jpg')
    (tmp_path / 'labels').mkdir()
    (tmp_path / 'labels' / 'a.txt').write_text(
        '1 0.5 0.5 0.2 0.2 0.1 0.2 0 0\n')
    data = tool.convert(str(tmp_path / 'images'), str(tmp_path / 'labels'),
                        2, 2)
    assert data['annotations'][0]['keypoints'] == [10., 10., 2, 0., 0., 0]
    assert data['annotations'][0]['category_id'] == 2
    assert [c['name'] for c in data['categories']] == ['class0', 'class1']
    with pytest.raises(ValueError, match=r'a\.txt line 1: 9 values, '
                       r'expected 14'):
        tool.convert(str(tmp_path / 'images'), str(tmp_path / 'labels'), 3,
                     3)


# ------------------------------------------------------------- CSV --
def test_csv_to_coco(tmp_path):
    tool = _tool('csv_to_coco')
    _image(tmp_path / 'images' / 'a.png')
    _image(tmp_path / 'images' / 'b.png')
    csv_file = tmp_path / 'ann.csv'
    csv_file.write_text(
        'image,nose_x,nose_y,left_eye_x,left_eye_y,right_eye_x,right_eye_y\n'
        'a.png,10,10,20,30,,\n'
        'a.png,50,20,60,25,40,-1\n'
        'b.png,1,2,99,48,50,nan\n')
    out = tmp_path / 'coco.json'
    tool.main([str(csv_file), str(tmp_path / 'images'), str(out)])
    data = json.loads(out.read_text())
    assert data['categories'][0]['keypoints'] == [
        'nose', 'left_eye', 'right_eye'
    ]
    assert [i['file_name'] for i in data['images']] == ['a.png', 'b.png']
    first, second, third = data['annotations']
    assert first['keypoints'] == [10., 10., 2, 20., 30., 2, 0., 0., 0]
    # keypoint box (10..20, 10..30) plus 10 % of its size on every side
    np.testing.assert_allclose(first['bbox'], [9, 8, 12, 24])
    assert second['num_keypoints'] == 2 and second['image_id'] == 1
    # clipped to the 100 x 50 image
    np.testing.assert_allclose(third['bbox'], [0, 0, 100, 50])
    dataset = CustomCocoDataset(
        ann_file=str(out), metainfo=dict(from_coco_categories=True,
                                         sigmas=[0.03] * 3))
    assert dataset.metainfo['flip_indices'] == [0, 2, 1]
    bad = tmp_path / 'bad.csv'
    bad.write_text('a.png,1,2,3\n')
    with pytest.raises(ValueError, match='image,x1,y1'):
        tool.convert(str(bad), str(tmp_path / 'images'))


def test_csv_first_row_unlabelled_is_data_not_header(tmp_path):
    tool = _tool('csv_to_coco')
    _image(tmp_path / 'images' / 'a.png')
    csv_file = tmp_path / 'ann.csv'
    csv_file.write_text('a.png,nan,nan,20,30\na.png,10,10,20,30\n')
    data = tool.convert(str(csv_file), str(tmp_path / 'images'))
    assert data['categories'][0]['keypoints'] == ['kpt_0', 'kpt_1']
    assert [a['keypoints'] for a in data['annotations']] == [
        [0., 0., 0, 20., 30., 2], [10., 10., 2, 20., 30., 2]]


@pytest.mark.parametrize('row, match', [
    ('a.png,10,10,l20,30,,',
     r"bad.csv line 3, column 4 \(left_eye_x\): 'l20' is not a number"),
    ('a.png,10,10,20,inf,,',
     r"bad.csv line 3, column 5 \(left_eye_y\): 'inf' is not a finite"),
])
def test_csv_bad_cell_names_file_line_column(tmp_path, row, match):
    tool = _tool('csv_to_coco')
    _image(tmp_path / 'images' / 'a.png')
    bad = tmp_path / 'bad.csv'
    # line 2 is blank: the line numbers are the file's, not the rows'
    bad.write_text('image,nose_x,nose_y,left_eye_x,left_eye_y,right_eye_x,'
                   f'right_eye_y\n\n{row}\n')
    with pytest.raises(ValueError, match=match):
        tool.convert(str(bad), str(tmp_path / 'images'))


@pytest.mark.parametrize('line, match', [
    ('0 0.5 0.5 0.2 0.2 0.1 x2 2', r"a.txt line 2, column 7: 'x2' is not a "
     'number'),
    ('0 0.5 0.5 0.2 nan 0.1 0.2 2', r"a.txt line 2, column 5: 'nan' is not "
     'a finite number'),
    ('0 0.5 0.5 0.2 0.2 0.1 0.2 5', r"a.txt line 2, column 8: visibility "
     r"'5' of keypoint 0 is not 0, 1 or 2"),
    ('-1 0.5 0.5 0.2 0.2 0.1 0.2 2', r"a.txt line 2, column 1: class '-1'"),
])
def test_yolo_bad_value_names_file_line_column(tmp_path, line, match):
    tool = _tool('yolo_pose_to_coco')
    _image(tmp_path / 'images' / 'a.jpg')
    (tmp_path / 'labels').mkdir()
    (tmp_path / 'labels' / 'a.txt').write_text(
        f'0 0.5 0.5 0.2 0.2 0.1 0.2 2\n{line}\n')
    with pytest.raises(ValueError, match=match):
        tool.convert(str(tmp_path / 'images'), str(tmp_path / 'labels'), 1,
                     3)
