# COCO-WholeBody v1.0 (133 keypoints) in the order the toolbox concatenates
# the annotation's part fields: body ``keypoints`` (17, COCO), ``foot_kpts``
# (6), ``face_kpts`` (68), ``lefthand_kpts`` (21), ``righthand_kpts`` (21).
# The tables below are built from per-part name lists; the helper lists
# (body_names, ...) are plain data and only ``dataset_info`` is read.

body_names = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle'
]
foot_names = [
    'left_big_toe', 'left_small_toe', 'left_heel', 'right_big_toe',
    'right_small_toe', 'right_heel'
]
# The 68 facial landmarks of the 300-W (iBUG) layout: jaw 0-16, eyebrows
# 17-26, nose 27-35, eyes 36-47, mouth 48-67. face_mirror[i] is the landmark
# that i becomes under a horizontal flip (itself on the symmetry axis).
face_names = [f'face-{i}' for i in range(68)]
face_mirror = [
    16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,  # jaw
    26, 25, 24, 23, 22, 21, 20, 19, 18, 17,  # eyebrows
    27, 28, 29, 30, 35, 34, 33, 32, 31,  # nose bridge, nostrils
    45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,  # eyes
    54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,  # outer lips
    64, 63, 62, 61, 60, 67, 66, 65  # inner lips
]
# 21 hand keypoints: the root (wrist) then 4 joints per finger, base to tip.
fingers = ['thumb', 'forefinger', 'middle_finger', 'ring_finger',
           'pinky_finger']
hand_parts = ['hand_root'] + [f'{f}{j}' for f in fingers for j in range(1, 5)]
finger_colors = [[255, 128, 0], [255, 153, 255], [102, 178, 255],
                 [255, 51, 51], [0, 255, 0]]

# Per keypoint: (name, color, half-body type, flip partner).
keypoint_table = (
    [(n, [51, 153, 255] if i < 5 else
      [0, 255, 0] if n.startswith('left') else [255, 128, 0],
      'upper' if i < 11 else 'lower',
      n.replace('left', 'right') if n.startswith('left') else
      n.replace('right', 'left') if n.startswith('right') else '')
     for i, n in enumerate(body_names)] +
    [(n, [0, 255, 0] if n.startswith('left') else [255, 128, 0], 'lower',
      n.replace('left', 'right') if n.startswith('left') else
      n.replace('right', 'left')) for n in foot_names] +
    [(n, [255, 255, 255], '',
      f'face-{face_mirror[i]}' if face_mirror[i] != i else '')
     for i, n in enumerate(face_names)] +
    [(f'{side}_{p}', finger_colors[max(j - 1, 0) // 4]
      if j else [255, 255, 255], '', f'{other}_{p}')
     for side, other in (('left', 'right'), ('right', 'left'))
     for j, p in enumerate(hand_parts)])

# Limbs (the reference's 65): COCO's 19 body limbs, ankle to each foot
# keypoint, hand root to each finger base, and along each finger. The body
# wrist is not linked to the hand root, as in the reference.
body_links = [
    ('left_ankle', 'left_knee'), ('left_knee', 'left_hip'),
    ('right_ankle', 'right_knee'), ('right_knee', 'right_hip'),
    ('left_hip', 'right_hip'), ('left_shoulder', 'left_hip'),
    ('right_shoulder', 'right_hip'), ('left_shoulder', 'right_shoulder'),
    ('left_shoulder', 'left_elbow'), ('right_shoulder', 'right_elbow'),
    ('left_elbow', 'left_wrist'), ('right_elbow', 'right_wrist'),
    ('left_eye', 'right_eye'), ('nose', 'left_eye'), ('nose', 'right_eye'),
    ('left_eye', 'left_ear'), ('right_eye', 'right_ear'),
    ('left_ear', 'left_shoulder'), ('right_ear', 'right_shoulder')
]
link_table = (
    [(link, [51, 153, 255]) for link in body_links] +
    [((f'{side}_ankle', f'{side}_{toe}'),
      [0, 255, 0] if side == 'left' else [255, 128, 0])
     for side in ('left', 'right')
     for toe in ('big_toe', 'small_toe', 'heel')] +
    [((f'{side}_hand_root' if j == 1 else f'{side}_{f}{j - 1}',
       f'{side}_{f}{j}'), finger_colors[k])
     for side in ('left', 'right') for k, f in enumerate(fingers)
     for j in range(1, 5)])

dataset_info = dict(
    dataset_name='coco_wholebody',
    paper_info=dict(
        author='Jin, Sheng and Xu, Lumin and Xu, Jin and Wang, Can and Liu, '
        'Wentao and Qian, Chen and Ouyang, Wanli and Luo, Ping',
        title='Whole-Body Human Pose Estimation in the Wild',
        container='European Conference on Computer Vision (ECCV)',
        year='2020',
        homepage='https://github.com/jin-s13/COCO-WholeBody/',
    ),
    keypoint_info={
        i: dict(name=name, id=i, color=color, type=kind, swap=swap)
        for i, (name, color, kind, swap) in enumerate(keypoint_table)
    },
    skeleton_info={
        i: dict(link=link, id=i, color=color)
        for i, (link, color) in enumerate(link_table)
    },
    joint_weights=[1.] * 133,
    # OKS sigmas of the official COCO-WholeBody evaluation: body (COCO's),
    # foot, face, left hand, right hand.
    sigmas=[
        0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062,
        0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089, 0.068, 0.066, 0.066,
        0.092, 0.094, 0.094, 0.042, 0.043, 0.044, 0.043, 0.040, 0.035, 0.031,
        0.025, 0.020, 0.023, 0.029, 0.032, 0.037, 0.038, 0.043, 0.041, 0.045,
        0.013, 0.012, 0.011, 0.011, 0.012, 0.012, 0.011, 0.011, 0.013, 0.015,
        0.009, 0.007, 0.007, 0.007, 0.012, 0.009, 0.008, 0.016, 0.010, 0.017,
        0.011, 0.009, 0.011, 0.009, 0.007, 0.013, 0.008, 0.011, 0.012, 0.010,
        0.034, 0.008, 0.008, 0.009, 0.008, 0.008, 0.007, 0.010, 0.008, 0.009,
        0.009, 0.009, 0.007, 0.007, 0.008, 0.011, 0.008, 0.008, 0.008, 0.010,
        0.008, 0.029, 0.022, 0.035, 0.037, 0.047, 0.026, 0.025, 0.024, 0.035,
        0.018, 0.024, 0.022, 0.026, 0.017, 0.021, 0.021, 0.032, 0.020, 0.019,
        0.022, 0.031, 0.029, 0.022, 0.035, 0.037, 0.047, 0.026, 0.025, 0.024,
        0.035, 0.018, 0.024, 0.022, 0.026, 0.017, 0.021, 0.021, 0.032, 0.020,
        0.019, 0.022, 0.031
    ])
