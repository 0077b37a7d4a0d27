"""Frames from arrays, images, folders and videos."""
import cv2
import numpy as np
import pytest

from rtmpose.apis import FrameSource


def test_array_image_folder(tmp_path):
    img = np.full((20, 30, 3), 7, np.uint8)
    frames = list(FrameSource(img))
    assert len(frames) == 1 and frames[0].name is None
    for name in ('b.png', 'a.png'):
        cv2.imwrite(str(tmp_path / name), img)
    (tmp_path / 'notes.txt').write_text('x')
    src = FrameSource(str(tmp_path))
    assert src.kind == 'folder' and src.num_frames == 2 and not src.is_stream
    frames = list(src)
    assert [f.name for f in frames] == ['a.png', 'b.png']
    assert [f.index for f in frames] == [0, 1]
    np.testing.assert_array_equal(frames[0].image, img)
    single = FrameSource(str(tmp_path / 'b.png'))
    assert single.kind == 'image' and len(list(single)) == 1


def test_video(tmp_path):
    path = str(tmp_path / 'v.avi')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 12,
                             (32, 24))
    for i in range(5):
        writer.write(np.full((24, 32, 3), i * 40, np.uint8))
    writer.release()
    src = FrameSource(path)
    assert src.kind == 'video' and src.is_stream
    assert src.fps == 12 and src.num_frames == 5
    frames = list(src)
    assert [f.index for f in frames] == list(range(5))
    assert abs(int(frames[3].image.mean()) - 120) <= 3


def test_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.mp4'):
        FrameSource(str(tmp_path / 'nothing.mp4'))
    with pytest.raises(FileNotFoundError, match='no images'):
        FrameSource(str(tmp_path))
    (tmp_path / 'x.txt').write_text('x')
    with pytest.raises(ValueError, match='unknown file type'):
        FrameSource(str(tmp_path / 'x.txt'))
    assert FrameSource(0).kind == 'webcam'


def test_stream_url_read_through_opencv(tmp_path):
    """An http:// video (a local server) is a stream: no frame count until
    read, frames in order, its fps once opened."""
    import functools
    import http.server
    import threading
    path = tmp_path / 'v.avi'
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'MJPG'), 12,
                             (32, 24))
    for i in range(4):
        writer.write(np.full((24, 32, 3), i * 40, np.uint8))
    writer.release()
    server = http.server.ThreadingHTTPServer(
        ('127.0.0.1', 0),
        functools.partial(http.server.SimpleHTTPRequestHandler,
                          directory=str(tmp_path)))
    server.RequestHandlerClass.log_message = lambda *args: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        src = FrameSource(f'http://127.0.0.1:{server.server_port}/v.avi')
        assert src.kind == 'url' and src.is_stream
        assert src.num_frames is None and src.fps is None
        frames = list(src)
    finally:
        server.shutdown()
    assert [f.index for f in frames] == [0, 1, 2, 3]
    assert abs(int(frames[2].image.mean()) - 80) <= 3
    assert src.fps == 12
    assert FrameSource('rtsp://127.0.0.1:1/live').kind == 'url'
