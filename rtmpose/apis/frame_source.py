"""Frames from an image, an array, a folder, a video file, a network stream
or a webcam."""
import os
import os.path as osp
from dataclasses import dataclass
from typing import Iterator, List, Optional, Union

import cv2
import numpy as np

from rtmpose.image_decoding import read_image

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg')
# network streams and remote videos, read by OpenCV (its FFmpeg backend)
STREAM_SCHEMES = ('rtsp://', 'rtmp://', 'http://', 'https://')


@dataclass
class Frame:
    """One input frame: ``index`` (0-based), ``image`` (H, W, 3) uint8 BGR
    and ``name`` (the image file name; None for video, webcam and array
    frames)."""
    index: int
    image: np.ndarray
    name: Optional[str] = None


class FrameSource:
    """Iterates the frames of ``source``.

    Args:
        source: (H, W, 3) uint8 BGR array; an image path; a folder (its
            images, sorted by name); a video path; a stream URL (``rtsp://``,
            ``rtmp://``, ``http(s)://``); or a webcam index (int or digit
            string).

    Attributes:
        kind: 'array', 'image', 'folder', 'video', 'url' or 'webcam'.
        fps: frame rate of a video, else None; of a stream or webcam once
            iteration has opened it (None if it reports none).
        num_frames: frames to expect (None for a stream or webcam).
    """

    def __init__(self, source: Union[str, int, np.ndarray]):
        self.source = source
        self.fps: Optional[float] = None
        self._files: List[str] = []
        if isinstance(source, np.ndarray):
            if source.ndim != 3 or source.shape[2] != 3:
                raise ValueError('array input must be (H, W, 3) BGR, got '
                                 f'shape {source.shape}')
            self.kind, self.num_frames = 'array', 1
        elif isinstance(source, int) or (isinstance(source, str)
                                         and source.isdigit()):
            self.kind, self.num_frames = 'webcam', None
            self.source = int(source)
        elif isinstance(source, str) and source.lower().startswith(
                STREAM_SCHEMES):
            # opened when iterated: a live stream would lag behind meanwhile
            self.kind, self.num_frames = 'url', None
        elif osp.isdir(source):
            self._files = sorted(
                osp.join(source, f) for f in os.listdir(source)
                if f.lower().endswith(IMAGE_EXTENSIONS))
            if not self._files:
                raise FileNotFoundError(f'no images ({IMAGE_EXTENSIONS}) in '
                                        f'folder {source}')
            self.kind, self.num_frames = 'folder', len(self._files)
        elif not osp.isfile(source):
            raise FileNotFoundError(f'input {source} not found')
        elif source.lower().endswith(VIDEO_EXTENSIONS):
            self.kind = 'video'
            cap = self._open_capture()
            self.fps = cap.get(cv2.CAP_PROP_FPS) or None
            self.num_frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) or None
            cap.release()
        elif source.lower().endswith(IMAGE_EXTENSIONS):
            self.kind, self.num_frames = 'image', 1
            self._files = [source]
        else:
            raise ValueError(f'input {source}: unknown file type; expected '
                             f'an image {IMAGE_EXTENSIONS} or a video '
                             f'{VIDEO_EXTENSIONS}')

    @property
    def is_stream(self) -> bool:
        """Frames of one scene in time order (video, stream or webcam)."""
        return self.kind in ('video', 'url', 'webcam')

    def _open_capture(self) -> cv2.VideoCapture:
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            raise IOError(f'cannot open video source {self.source!r}')
        return cap

    def __iter__(self) -> Iterator[Frame]:
        if self.kind == 'array':
            yield Frame(0, self.source)
        elif self.kind in ('image', 'folder'):
            for i, path in enumerate(self._files):
                img = read_image(path)
                yield Frame(i, img, osp.basename(path))
        else:
            cap = self._open_capture()
            self.fps = self.fps or cap.get(cv2.CAP_PROP_FPS) or None
            try:
                index = 0
                while True:
                    ok, img = cap.read()
                    if not ok:
                        break
                    yield Frame(index, img)
                    index += 1
            finally:
                cap.release()
