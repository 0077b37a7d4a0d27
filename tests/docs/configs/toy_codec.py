# docs/add_a_codec.md: the shared config with the SoftArgmaxSimCC codec
# (registered, with its output kind, in tests/docs/test_add_a_codec.py):
# the head decodes with it, the training pipeline encodes with it.
_base_ = ['five_points_base.py']
custom_imports = dict(imports=['test_add_a_codec'])

codec = dict(_base_.codec, type='SoftArgmaxSimCC', temperature=1.0)
model = dict(head=dict(decoder=codec))
train_dataloader = dict(dataset=dict(pipeline=[
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in _base_.train_pipeline
]))
