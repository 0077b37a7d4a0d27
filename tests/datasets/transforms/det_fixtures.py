"""Detection samples whose boxes are painted on the image, so a test can
check that a geometric transform moved every box with its pixels."""
import numpy as np

# distinct saturated BGR colours, far apart after bilinear blending; the
# box of label l is painted in COLOURS[l]
COLOURS = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0],
                    [255, 0, 255], [0, 255, 255], [255, 255, 255],
                    [128, 0, 255]], np.uint8)


def painted_sample(boxes, labels=None, hw=(120, 160), crowd=None):
    """Black (h, w) image with each integer xyxy box filled in its label's
    colour: the results dict a detection pipeline has after
    ``LoadAnnotations``."""
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    labels = np.arange(len(boxes)) if labels is None else np.asarray(labels)
    img = np.zeros(tuple(hw) + (3, ), np.uint8)
    for (x1, y1, x2, y2), label in zip(boxes.astype(int), labels):
        img[y1:y2, x1:x2] = COLOURS[label]
    return dict(
        img=img,
        img_shape=tuple(hw),
        ori_shape=tuple(hw),
        gt_bboxes=boxes,
        gt_bboxes_labels=labels.astype(np.int64),
        gt_ignore_flags=(np.zeros(len(boxes), bool) if crowd is None else
                         np.asarray(crowd, bool)))


def colour_mask(img, label, tol=60):
    return (np.abs(img.astype(np.int16) - COLOURS[label].astype(np.int16))
            <= tol).all(-1)


def _extent(mask):
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1],
                    np.float32)


def assert_boxes_on_pixels(results, atol=1.5, margin=4):
    """Every output box covers its colour's pixels around it (within
    ``atol`` pixels of interpolation blur), and no pixel of a colour lies
    outside the boxes of that label (a box whose pixels left the image was
    dropped, one whose pixels stayed was kept)."""
    img = results['img']
    h, w = img.shape[:2]
    boxes, labels = results['gt_bboxes'], results['gt_bboxes_labels']
    for box, label in zip(boxes, labels):
        x1, y1, x2, y2 = box
        win = (max(int(x1) - margin, 0), max(int(y1) - margin, 0),
               min(int(np.ceil(x2)) + margin, w),
               min(int(np.ceil(y2)) + margin, h))
        local = np.zeros((h, w), bool)
        local[win[1]:win[3], win[0]:win[2]] = True
        extent = _extent(colour_mask(img, label) & local)
        assert extent is not None, f'box {box} (label {label}) has no pixels'
        np.testing.assert_allclose(box, extent, atol=atol,
                                   err_msg=f'label {label}')
    for label in range(len(COLOURS)):
        covered = np.zeros((h, w), bool)
        for box in boxes[labels == label]:
            x1, y1 = np.floor(box[:2] - 2).astype(int).clip(0)
            x2, y2 = np.ceil(box[2:] + 2).astype(int)
            covered[y1:y2, x1:x2] = True
        stray = colour_mask(img, label, tol=20) & ~covered
        assert stray.sum() <= 2, \
            f'{stray.sum()} pixels of label {label} outside its boxes'
