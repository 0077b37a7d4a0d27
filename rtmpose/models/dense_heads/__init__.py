from .rtmdet_head import RTMDetSepBNHead

__all__ = ['RTMDetSepBNHead']
