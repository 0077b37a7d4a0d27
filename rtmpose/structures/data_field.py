"""Typed data fields of mmengine data elements, declared once."""
from mmengine.structures import BaseDataElement


def data_field(name: str, dtype: type) -> property:
    """A property of a ``BaseDataElement`` subclass holding a ``dtype``
    value under ``_<name>`` (a data field, type-checked on assignment), as
    mmengine's samples write them out by hand."""
    private = f'_{name}'

    def get(self: BaseDataElement):
        return getattr(self, private)

    def set_(self: BaseDataElement, value):
        self.set_field(value, private, dtype=dtype)

    def delete(self: BaseDataElement):
        delattr(self, private)

    return property(get, set_, delete, doc=f'{name} ({dtype.__name__})')
