from .cspnext_pafpn import CSPNeXtPAFPN

__all__ = ['CSPNeXtPAFPN']
