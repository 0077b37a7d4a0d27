"""Config syntax errors name the config file and line, also in a base."""
import pytest

from rtmpose.config_loading import load_config


def test_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / 'bad.py'
    bad.write_text('a = 1\nb = dict(x=1,\n        y=[1, 2)\n')
    with pytest.raises(SyntaxError, match=rf'config file {bad}, line 3'):
        load_config(str(bad))


def test_syntax_error_in_a_base_names_the_base(tmp_path):
    (tmp_path / '_base_').mkdir()
    base = tmp_path / '_base_' / 'runtime.py'
    base.write_text('x = 1\ny = = 2\n')
    child = tmp_path / 'child.py'
    child.write_text("_base_ = ['./_base_/runtime.py']\nz = 3\n")
    with pytest.raises(SyntaxError, match=rf'config file {base}, line 2') \
            as err:
        load_config(str(child))
    assert 'y = = 2' in str(err.value)


def test_good_and_missing_configs(tmp_path):
    good = tmp_path / 'good.py'
    good.write_text('a = dict(b=2)\n')
    assert load_config(str(good)).a.b == 2
    with pytest.raises(FileNotFoundError, match='nope.py'):
        load_config(str(tmp_path / 'nope.py'))


def test_repository_names_resolve_from_any_directory(tmp_path, monkeypatch):
    """``configs/...`` names the shipped config wherever the command runs; a
    file of that name in the working directory (the user's) comes first."""
    from rtmpose import config_loading
    name = 'configs/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py'
    monkeypatch.chdir(tmp_path)
    found = config_loading.find_config(name)
    assert found.endswith(name) and found.startswith(
        str(config_loading.CHECKOUT_ROOT))
    assert load_config(name).codec.input_size == (192, 256)
    meta = config_loading.find_config('configs/_base_/datasets/coco.py')
    assert meta == str(config_loading.PACKAGE_ROOT /
                       'configs/_base_/datasets/coco.py')
    own = tmp_path / name
    own.parent.mkdir(parents=True)
    own.write_text('a = 1\n')
    assert config_loading.find_config(name) == name  # as given
    with pytest.raises(FileNotFoundError, match='configs/nope.py'):
        config_loading.find_config('configs/nope.py')
