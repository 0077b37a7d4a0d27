from .rtmdet import RTMDet

__all__ = ['RTMDet']
