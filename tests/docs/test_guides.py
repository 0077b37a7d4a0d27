"""The guides in docs/ show the code their tests run: every python block
that starts with a ``# tests/docs/...`` line is a verbatim part of that
file."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ['add_a_backbone.md', 'add_a_codec.md', 'add_a_dataset.md']


def _quoted_blocks(guide):
    text = (ROOT / 'docs' / guide).read_text()
    for block in re.findall(r'```python\n(.*?)```', text, re.S):
        first, _, rest = block.partition('\n')
        if first.startswith('# tests/docs/'):
            yield first[2:].strip(), rest


@pytest.mark.parametrize('guide', GUIDES)
def test_guide_quotes_its_worked_example(guide):
    blocks = list(_quoted_blocks(guide))
    assert len(blocks) >= 2, guide
    for path, code in blocks:
        assert code.strip() in (ROOT / path).read_text(), (guide, path)
