"""float16 versions of exported graphs (onnx and onnxruntime's converter;
no torch): weights and activations in half precision, inputs and outputs
as in the float32 graph."""

# ops kept in float32: index and box arithmetic of the detector's
# post-processing, where half precision would move boxes and reorder ties
FP16_KEEP_FLOAT32 = ('NonMaxSuppression', 'TopK', 'Gather', 'GatherElements',
                     'ScatterElements', 'Sigmoid', 'Exp', 'Clip', 'Max',
                     'Min')


def to_fp16(proto):
    """The ``onnx.ModelProto`` with float16 weights and activations;
    inputs and outputs stay float32 (casts at the edges), so every client
    feeds it as the float32 graph."""
    from onnxruntime.transformers.float16 import convert_float_to_float16

    proto = convert_float_to_float16(proto,
                                     keep_io_types=True,
                                     op_block_list=list(FP16_KEEP_FLOAT32))
    _sort_nodes(proto.graph)
    return proto


def _sort_nodes(graph) -> None:
    """Topologically sort ``graph``'s nodes in place (the float16
    converter appends its input casts after their consumers, which the ONNX
    checker refuses); ties keep the original order."""
    ready = {i.name for i in graph.input} | {i.name for i in graph.initializer}
    ready.add('')  # an omitted optional input
    pending, ordered = list(graph.node), []
    while pending:
        rest = []
        for node in pending:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(pending):
            raise ValueError('fp16: the converted graph has a cycle or a '
                             f'missing input (node {rest[0].name!r})')
        pending = rest
    copies = [type(n)() for n in ordered]
    for copy, node in zip(copies, ordered):
        copy.CopyFrom(node)
    del graph.node[:]
    graph.node.extend(copies)
