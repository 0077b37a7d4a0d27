"""Building blocks of backbones and heads (timm's ``layers``): the RTMCC
block (GAU), the plain-ViT transformer layer and window attention, Scale,
ScaleNorm, SyncBN that runs on CPU, position-embedding resizing."""
from .pos_embed import resize_pos_embed
from .rtmcc_block import RTMCCBlock, rotary_position_encoding
from .scale import Scale
from .scale_norm import ScaleNorm
from .sync_batch_norm import SyncBatchNorm
from .transformer import (FFN, MultiheadSelfAttention,
                          TransformerEncoderLayer)
from .window_attention import WindowMultiheadSelfAttention

__all__ = [
    'FFN', 'MultiheadSelfAttention', 'RTMCCBlock', 'Scale', 'ScaleNorm',
    'SyncBatchNorm', 'TransformerEncoderLayer', 'WindowMultiheadSelfAttention',
    'resize_pos_embed', 'rotary_position_encoding'
]
